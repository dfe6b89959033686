/**
 * `npm run lint:deps` (part of `npm test`): the import graph of app/ and db/, read by madge,
 * must have no cycle, and the layers only import downwards:
 *   routes → components, models → utils → db   (db/seed may use the models; models never use UI)
 * Type-only imports count too: a cycle of types still ties two modules together.
 * Exits 1 with one line per broken rule.
 */
import madge from 'madge';

interface LayerRule {
  from: RegExp;
  to: RegExp;
  why: string;
}

export const LAYER_RULES: LayerRule[] = [
  { from: /^app\/utils\//, to: /^app\/(models|components|routes)\//, why: 'utils/ holds helpers without domain knowledge' },
  { from: /^app\/models\//, to: /^app\/(components|routes)\//, why: 'models are server-side domain code, never UI' },
  { from: /^app\/components\//, to: /^app\/routes\//, why: 'components are used by routes, not the reverse' },
  { from: /^db\/(?!seed\/)/, to: /^app\//, why: 'db/ (schema, dialect, migrations) is the bottom layer' },
];

export interface ImportProblems {
  cycles: string[][];
  layering: string[];
}

/** Graph keys are paths relative to the repository root, e.g. "app/models/rounds/rounds.server.ts". */
export function checkGraph(graph: Record<string, string[]>, cycles: string[][]): ImportProblems {
  const layering: string[] = [];
  for (const [from, deps] of Object.entries(graph)) {
    for (const to of deps) {
      const rule = LAYER_RULES.find((r) => r.from.test(from) && r.to.test(to));
      if (rule) layering.push(`${from} imports ${to}: ${rule.why}`);
    }
  }
  return { cycles, layering };
}

export async function readImportGraph(root: string): Promise<{ graph: Record<string, string[]>; cycles: string[][] }> {
  const result = await madge(['app', 'db'], {
    baseDir: root,
    fileExtensions: ['ts', 'tsx'],
    tsConfig: `${root}/tsconfig.json`,
    excludeRegExp: [/(^|\/)(node_modules|build)\//],
  });
  return { graph: result.obj(), cycles: result.circular() };
}

async function main(): Promise<void> {
  const { graph, cycles } = await readImportGraph(process.cwd());
  const problems = checkGraph(graph, cycles);
  for (const cycle of problems.cycles) console.error(`import cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  for (const line of problems.layering) console.error(`wrong direction: ${line}`);
  const files = Object.keys(graph).length;
  if (problems.cycles.length || problems.layering.length) {
    console.error(`${problems.cycles.length} cycle(s), ${problems.layering.length} upward import(s) in ${files} files`);
    process.exit(1);
  }
  console.warn(`imports: ${files} files, no cycles, layers import downwards only`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
