/**
 * `npm run lint:layout` (part of `npm test`) checks the layout of app/ and db/:
 * - the import graph (read by madge) has no cycle, between files or between the folders of
 *   app/models/ (each folder's README.md says what it may import);
 * - the layers only import downwards: routes → components, models → utils → db
 *   (db/seed may use the models; models never use UI);
 * - no file under app/ is over 300 lines.
 * Type-only imports count too: a cycle of types still ties two modules together.
 * Exits 1 with one line per broken rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import madge from 'madge';

export const MAX_LINES = 300;

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
  /** Cycles between folders of app/models/, e.g. [['rounds', 'responses']]. */
  folderCycles: string[][];
}

/** The folder of app/models/ a file belongs to, or null outside it. */
const modelFolder = (file: string) => /^app\/models\/([^/]+)\//.exec(file)?.[1] ?? null;

/** Cycles in the graph of app/models/ folders (an edge when any file imports one in another folder). */
export function folderCycles(graph: Record<string, string[]>): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const [from, deps] of Object.entries(graph)) {
    const a = modelFolder(from);
    if (!a) continue;
    for (const to of deps) {
      const b = modelFolder(to);
      if (b && b !== a) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
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
  return { cycles, layering, folderCycles: folderCycles(graph) };
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

/** Files under `dir` (repository-relative) with more than MAX_LINES lines. */
export function oversizedFiles(root: string, dir = 'app'): { file: string; lines: number }[] {
  const out: { file: string; lines: number }[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|tsx|js|css)$/.test(entry.name)) {
        const lines = fs.readFileSync(path.join(root, child), 'utf8').split('\n').length - 1;
        if (lines > MAX_LINES) out.push({ file: child, lines });
      }
    }
  };
  walk(dir);
  return out;
}

async function main(): Promise<void> {
  const root = process.cwd();
  const { graph, cycles } = await readImportGraph(root);
  const problems = checkGraph(graph, cycles);
  const oversized = oversizedFiles(root);
  for (const cycle of problems.cycles) console.error(`import cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  for (const cycle of problems.folderCycles) console.error(`folder cycle in app/models: ${[...cycle, cycle[0]].join(' → ')}`);
  for (const line of problems.layering) console.error(`wrong direction: ${line}`);
  for (const { file, lines } of oversized) console.error(`too long: ${file} has ${lines} lines (at most ${MAX_LINES}); split it by concept`);
  const files = Object.keys(graph).length;
  const count = problems.cycles.length + problems.folderCycles.length + problems.layering.length + oversized.length;
  if (count) {
    console.error(`${count} layout problem(s) in ${files} files`);
    process.exit(1);
  }
  console.warn(`layout: ${files} files, no import cycles (files or model folders), layers import downwards, no file over ${MAX_LINES} lines`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
