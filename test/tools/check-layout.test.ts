import { describe, expect, it } from 'vitest';
import { checkGraph, folderCycles, oversizedFiles, readImportGraph } from '../../app/tools/check-layout';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('layout check', () => {
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

  it('finds a cycle between model folders even when the files do not form one', () => {
    const graph = {
      'app/models/rounds/admin.server.ts': ['app/models/responses/history.server.ts'],
      'app/models/responses/responses.server.ts': ['app/models/rounds/rounds.server.ts'],
      'app/models/surveys/surveys.server.ts': ['app/utils/merge.ts'],
    };
    expect(folderCycles(graph)).toEqual([['responses', 'rounds']]);
    expect(checkGraph(graph, []).folderCycles).toHaveLength(1);
  });

  it('the real app has no cycles and no file over 300 lines', async () => {
    const { graph, cycles } = await readImportGraph(process.cwd());
    const problems = checkGraph(graph, cycles);
    expect(problems).toEqual({ cycles: [], layering: [], folderCycles: [] });
    expect(oversizedFiles(process.cwd())).toEqual([]);
  });

  it('reports a file over 300 lines', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
    fs.mkdirSync(path.join(root, 'app/models'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app/models/long.server.ts'), 'x;\n'.repeat(301));
    fs.writeFileSync(path.join(root, 'app/models/short.server.ts'), 'x;\n'.repeat(300));
    expect(oversizedFiles(root)).toEqual([{ file: 'app/models/long.server.ts', lines: 301 }]);
  });
});
