import { describe, expect, it } from 'vitest';
import { checkGraph, readImportGraph } from '../../app/tools/check-imports';

describe('import check', () => {
  it('reads the real graph with repository-relative paths and the ~/ alias resolved', async () => {
    const { graph } = await readImportGraph(process.cwd());
    expect(graph['app/models/rounds/rounds.server.ts']).toContain('db/schema.ts');
    // admin._index.tsx imports '~/models/rounds/admin.server'
    expect(graph['app/routes/admin._index.tsx']).toContain('app/models/rounds/admin.server.ts');
  });

  it('reports an upward import from utils into models and from db into app', () => {
    const problems = checkGraph(
      {
        'app/utils/x.ts': ['app/models/a.server.ts', 'app/utils/y.ts'],
        'db/schema.ts': ['app/utils/y.ts'],
        'db/seed/demo.ts': ['app/models/a.server.ts'],
        'app/routes/r.tsx': ['app/models/a.server.ts', 'app/components/c.tsx'],
      },
      [],
    );
    expect(problems.layering).toEqual([
      'app/utils/x.ts imports app/models/a.server.ts: utils/ holds helpers without domain knowledge',
      'db/schema.ts imports app/utils/y.ts: db/ (schema, dialect, migrations) is the bottom layer',
    ]);
  });
});
