/**
 * `npm run bench`: runs every benchmark module in test/bench/*.bench.ts, writes
 * bench/results.json and a human summary to bench/results.md. Each module exports
 * `run(): Promise<BenchFigure[]>`. Loops are bounded; servers listen on 127.0.0.1 only.
 * Pass names to run a subset: `npm run bench -- comparison`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchFigure } from './figure';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const figures: BenchFigure[] = [];
for (const file of files) {
  console.log(`== ${file}`);
  const mod = (await import(path.join(dir, file))) as { run: () => Promise<BenchFigure[]> };
  const started = Date.now();
  try {
    const results = await mod.run();
    for (const f of results) console.log(`  ${f.name}: ${f.value} ${f.unit}${f.target ? `  (target ${f.target})` : ''}`);
    figures.push(...results.map((f) => ({ ...f, module: file })));
  } catch (e) {
    console.error(`  FAILED: ${(e as Error).stack ?? e}`);
    figures.push({ module: file, name: 'error', value: String((e as Error).message), unit: '', target: 'no error', met: false });
  }
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const outDir = path.resolve(dir, '../../bench');
fs.mkdirSync(outDir, { recursive: true });
const resultsPath = path.join(outDir, 'results.json');
// Merge with earlier results so running one module keeps the others' figures.
const previous: { figures?: BenchFigure[] } = fs.existsSync(resultsPath) ? JSON.parse(fs.readFileSync(resultsPath, 'utf8')) : {};
const merged = [...(previous.figures ?? []).filter((p) => !figures.some((f) => f.module === p.module)), ...figures];
merged.sort((a, b) => `${a.module}${a.name}`.localeCompare(`${b.module}${b.name}`));
const meta = { measuredAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
fs.writeFileSync(resultsPath, `${JSON.stringify({ ...meta, figures: merged }, null, 2)}\n`);
const md = [
  '# Enkätnav benchmarks',
  '',
  `Measured ${meta.measuredAt} on ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGiB} GiB, Node ${meta.node}.`,
  '',
  '| Module | Figure | Value | Target | Met |',
  '|---|---|---:|---|---|',
  ...merged.map((f) => `| ${f.module} | ${f.name} | ${f.value} ${f.unit} | ${f.target ?? ''} | ${f.met === undefined ? '' : f.met ? 'yes' : 'no'} |`),
  '',
].join('\n');
fs.writeFileSync(path.join(outDir, 'results.md'), md);
console.log(`\nWrote ${path.relative(process.cwd(), resultsPath)} and bench/results.md`);
