/**
 * `npm run drills [-- name…]`: runs every test/drills/*.drill.ts at full scale on a fresh SQLite
 * file and, when DATABASE_URL is postgres://…, on a fresh PostgreSQL database too. Needs the
 * server build (`npm run build`; ENKATNAV_BUILD_DIR honoured). Writes bench/drills.json and
 * bench/drills.md. Exits 1 when a drill fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createDb, openSqlite } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { buildBase, dropBase, newBaseLocation, testPostgresUrl, withDatabase } from '../helpers/base-db';
import type { DrillDatabase, DrillOptions, DrillReport } from './drill';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.drill.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

/** A fresh copy of the migrated base with reference data, on the given dialect. */
async function openDatabase(base: { sqlitePath: string; pgTemplate: string }, dialect: 'sqlite' | 'postgres', n: number): Promise<DrillDatabase & { destroy: () => Promise<void> }> {
  if (dialect === 'postgres') {
    const pgUrl = testPostgresUrl()!;
    const name = `enkatnav_drill_${process.pid}_${n}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base.pgTemplate}`).finally(() => admin.end());
    const url = withDatabase(pgUrl, name);
    const db = createDb({ dialect: 'postgres', location: url });
    return {
      db,
      url,
      dialect,
      destroy: async () => {
        await db.destroy();
        const dropper = new pg.Client({ connectionString: pgUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => dropper.end());
      },
    };
  }
  const file = path.join(os.tmpdir(), `enkatnav-drill-${process.pid}-${n}.db`);
  fs.copyFileSync(base.sqlitePath, file);
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    url: `file:${file}`,
    dialect,
    destroy: async () => {
      await db.destroy();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    },
  };
}

// DRILLS_DB=sqlite or postgres runs one dialect only (e.g. two runs side by side).
const dialects = (testPostgresUrl() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)).filter((d) => !process.env.DRILLS_DB || process.env.DRILLS_DB === d);
const reports: DrillReport[] = [];
let n = 0;
for (const dialect of dialects) {
  // buildBase reads DATABASE_URL to pick the dialect; hide it for the SQLite pass.
  const saved = process.env.DATABASE_URL;
  if (dialect === 'sqlite') delete process.env.DATABASE_URL;
  const base = newBaseLocation();
  await buildBase(base);
  try {
    for (const file of files) {
      const mod = (await import(path.join(dir, file))) as { run: (o: DrillOptions) => Promise<DrillReport> };
      const database = await openDatabase(base, dialect, n++);
      console.log(`== ${file} on ${dialect}`);
      try {
        const report = await mod.run({ scale: 'full', database, log: (line) => console.log(`  ${line}`) });
        reports.push(report);
        console.log(`  ${report.passed ? 'passed' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(report.figures)}`);
        for (const f of report.failures.slice(0, 20)) console.log(`  - ${f}`);
      } catch (e) {
        console.error(`  FAILED: ${(e as Error).stack ?? e}`);
        reports.push({ drill: file.replace('.drill.ts', ''), dialect, scale: 'full', passed: false, figures: {}, failures: [String((e as Error).message)], durationMs: 0 });
      } finally {
        await database.destroy();
      }
    }
  } finally {
    await dropBase(base);
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  }
}

const outDir = path.resolve(dir, '../../bench');
fs.mkdirSync(outDir, { recursive: true });
const resultsPath = path.join(outDir, 'drills.json');
// Read now, at the end, so runs side by side (DRILLS_DB) keep each other's reports.
const latest: { reports?: DrillReport[] } = fs.existsSync(resultsPath) ? JSON.parse(fs.readFileSync(resultsPath, 'utf8')) : {};
const merged = [...(latest.reports ?? []).filter((p) => !reports.some((r) => r.drill === p.drill && r.dialect === p.dialect)), ...reports];
merged.sort((a, b) => `${a.drill}${a.dialect}`.localeCompare(`${b.drill}${b.dialect}`));
const meta = { measuredAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length };
fs.writeFileSync(resultsPath, `${JSON.stringify({ ...meta, reports: merged }, null, 2)}\n`);
fs.writeFileSync(
  path.join(outDir, 'drills.md'),
  [
    '# Enkätnav reliability drills',
    '',
    `Run ${meta.measuredAt} on ${meta.cpus} cores, Node ${meta.node}, at full scale (\`npm run drills\`).`,
    '',
    '| Drill | Database | Passed | Figures | Seconds |',
    '|---|---|---|---|---:|',
    ...merged.map((r) => `| ${r.drill} | ${r.dialect} | ${r.passed ? 'yes' : 'no'} | ${Object.entries(r.figures).map(([k, v]) => `${k} ${v}`).join(', ')} | ${(r.durationMs / 1000).toFixed(1)} |`),
    '',
  ].join('\n'),
);
console.log(`\nWrote ${path.relative(process.cwd(), resultsPath)} and bench/drills.md`);
if (reports.some((r) => !r.passed)) process.exit(1);
