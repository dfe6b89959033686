/**
 * Response export (issue 7): 100 000 responses × 60 questions of a synthetic survey, exported
 * by the CLI in a child process as deployed and as an operator runs it (`npm run cli` is
 * `tsx app/cli/main.ts`: tsx, transpiling on load, is part of the measured process and of its
 * memory) to XLSX and to CSV. Peak memory is the child's VmHWM from /proc. Target: XLSX ≤ 20 s
 * with ≤ 300 MB peak RSS. The data set is built once into .cache/bench/ (SQLite, bulk inserts in
 * big transactions) and reused.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { openSqlite } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { loadReferenceData } from '../../db/seed/reference';
import { round, type BenchFigure } from './figure';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(ROOT, '.cache/bench/export');
const RESPONSES = 100_000;
const SURVEY_ID = 'exportbench-2020';
/** Bump when the data set's shape changes, so an old cache is rebuilt. */
const VERSION = 1;

const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `v${i + 1}`, text: `Alternativ ${i + 1}` }));

/** 60 questions: 30 radiogroup, 6 checkbox (4 options), 10 numbers, 4 texts, 4 comments, 6 booleans. */
function benchSurvey() {
  const elements: Record<string, unknown>[] = [];
  for (let i = 1; i <= 30; i++) elements.push({ type: 'radiogroup', name: `r${i}`, title: `Fråga r${i}`, choices: choices(4) });
  for (let i = 1; i <= 6; i++) elements.push({ type: 'checkbox', name: `c${i}`, title: `Fråga c${i}`, choices: choices(4) });
  for (let i = 1; i <= 10; i++) elements.push({ type: 'text', inputType: 'number', name: `n${i}`, title: `Antal n${i}` });
  for (let i = 1; i <= 4; i++) elements.push({ type: 'text', name: `t${i}`, title: `Text t${i}` });
  for (let i = 1; i <= 4; i++) elements.push({ type: 'comment', name: `k${i}`, title: `Kommentar k${i}` });
  for (let i = 1; i <= 6; i++) elements.push({ type: 'boolean', name: `b${i}`, title: `Ja/nej b${i}` });
  return {
    meta: { id: SURVEY_ID, family: 'exportbench', year: 2020, title: 'Exportbänk', audience: ['kommun'], description: 'Syntetisk enkät för exportbänken.', defaultDeadline: '05-31', source: 'bench' },
    survey: { pages: [{ name: 'sida1', elements }] },
  };
}

function answers(n: number): string {
  const a: Record<string, unknown> = {};
  for (let i = 1; i <= 30; i++) a[`r${i}`] = `v${((n + i) % 4) + 1}`;
  for (let i = 1; i <= 6; i++) a[`c${i}`] = ['v1', 'v2', 'v3', 'v4'].filter((_, j) => (n + i + j) % 3 !== 0);
  for (let i = 1; i <= 10; i++) a[`n${i}`] = (n * i) % 1000;
  for (let i = 1; i <= 4; i++) a[`t${i}`] = `Svar ${n} på fråga ${i}`;
  for (let i = 1; i <= 4; i++) a[`k${i}`] = n % 5 === 0 ? `En längre kommentar nummer ${n}, med några ord om arbetet i kommunen.` : '';
  for (let i = 1; i <= 6; i++) a[`b${i}`] = (n + i) % 2 === 0;
  return JSON.stringify(a);
}

/** Builds (once) the database and the survey folder; returns their paths. */
async function dataSet(): Promise<{ dbFile: string; surveysDir: string }> {
  const dbFile = path.join(CACHE, `export-${VERSION}.db`);
  const surveysDir = path.join(CACHE, 'surveys');
  fs.mkdirSync(surveysDir, { recursive: true });
  fs.writeFileSync(path.join(surveysDir, `${SURVEY_ID}.json`), JSON.stringify(benchSurvey()));
  if (fs.existsSync(dbFile)) return { dbFile, surveysDir };
  const building = `${dbFile}.building`;
  fs.rmSync(building, { force: true });
  const sqlite = openSqlite(building);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  await loadReferenceData(db);
  await db.destroy();
  const raw = openSqlite(building);
  const kommuner = (raw.prepare("select id from organisations where kind = 'kommun' order by id").all() as { id: number }[]).map((r) => r.id);
  const now = new Date().toISOString();
  const addRound = raw.prepare(`insert into rounds (survey_id, title, opens_at, closes_at, closed_at, reminder_schedule, contact_text, created_by, created_at, updated_at) values (?, ?, ?, ?, null, '[]', null, null, ?, ?)`);
  const addAssignment = raw.prepare(`insert into assignments (round_id, organisation_id, person_name, person_email, status, extended_until, token_nonce, token_hash, created_at, updated_at) values (?, ?, null, null, ?, null, ?, ?, ?, ?)`);
  const addResponse = raw.prepare(`insert into responses (assignment_id, survey_id, data, version, prefilled_keys, last_saved_at, last_saved_by, submitted_at, submitted_by, submitted_email, reference, created_at, updated_at) values (?, ?, ?, 3, null, ?, 'bank@example.se', ?, ?, null, null, ?, ?)`);
  const fill = raw.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const k = n % kommuner.length;
      // A new round per pass over the kommuner (one assignment per kommun and round).
      if (k === 0) addRound.run(SURVEY_ID, `Bänkomgång ${n / kommuner.length + 1}`, now, now, now, now);
      const roundId = Math.floor(n / kommuner.length) + 1;
      const submitted = n % 7 !== 0;
      const a = addAssignment.run(roundId, kommuner[k], submitted ? 'submitted' : 'draft', randomBytes(16).toString('hex'), `${n}`.padStart(64, '0'), now, now);
      addResponse.run(a.lastInsertRowid, SURVEY_ID, answers(n), now, submitted ? now : null, submitted ? 'Bänk Bänksson' : null, now, now);
    }
  });
  for (let n = 0; n < RESPONSES; n += 20_000) fill(n, Math.min(RESPONSES, n + 20_000));
  raw.close();
  fs.renameSync(building, dbFile);
  return { dbFile, surveysDir };
}

/**
 * With EXPORT_BENCH_CHILD=1 this file is the child: the export model alone, without the CLI's
 * argument handling (the CLI loads only the export command for `export`). Shows what the export
 * itself costs, with the same settings as the CLI.
 */
if (process.env.EXPORT_BENCH_CHILD === '1') {
  const [format, out] = process.argv.slice(-2) as ['csv' | 'xlsx', string];
  const { createDb, parseDatabaseUrl } = await import('../../db/dialect');
  const { resolveExportScope, writeExport } = await import('../../app/models/exports/export.server');
  const db = createDb(parseDatabaseUrl(process.env.DATABASE_URL));
  await sql`pragma cache_size = -8192`.execute(db); // as the CLI export does
  const count = await writeExport(db, await resolveExportScope(db, { surveyId: SURVEY_ID }), { format, collectGarbage: true }, fs.createWriteStream(out));
  await db.destroy();
  console.log(`${count} responses written`);
}

/** Runs the CLI export (or `lean`: the model alone) in a child process; wall time, CPU time and peak RSS (VmHWM). */
function exportInChild(dbFile: string, surveysDir: string, format: 'csv' | 'xlsx', out: string, lean = false): Promise<{ seconds: number; cpuSeconds: number; peakMb: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = lean ? ['test/bench/export.bench.ts', format, out] : ['app/cli/main.ts', 'export', '--survey', SURVEY_ID, '--format', format, '--out', out];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${dbFile}`, SURVEYS_DIR: surveysDir, LOG_LEVEL: 'warn', EXPORT_BENCH_CHILD: lean ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peakKb = 0;
    let cpuTicks = 0;
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
        // utime + stime (fields 14 and 15) in clock ticks of 1/100 s: CPU time, which a busy
        // shared machine does not inflate the way it inflates wall time.
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpuTicks = Number(stat[11]) + Number(stat[12]);
      } catch {
        // the process has just ended
      }
    };
    const timer = setInterval(sample, 50);
    // Bounded: a run that hangs fails the figure instead of the whole bench.
    const limit = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('exit', (code) => {
      clearInterval(timer);
      clearTimeout(limit);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`export exited with ${code}: ${output.slice(-500)}`));
      if (!output.includes(`${RESPONSES} responses`)) return reject(new Error(`unexpected output: ${output}`));
      resolve({ seconds, cpuSeconds: cpuTicks / 100, peakMb: peakKb / 1024, bytes: fs.statSync(out).size });
    });
  });
}

export async function run(): Promise<BenchFigure[]> {
  const { dbFile, surveysDir } = await dataSet();
  const outDir = fs.mkdtempSync(path.join(CACHE, 'out-'));
  try {
    const xlsx = await exportInChild(dbFile, surveysDir, 'xlsx', path.join(outDir, 'svar.xlsx'));
    const csv = await exportInChild(dbFile, surveysDir, 'csv', path.join(outDir, 'svar.csv'));
    const lean = await exportInChild(dbFile, surveysDir, 'xlsx', path.join(outDir, 'lean.xlsx'), true);
    const label = `${RESPONSES / 1000}k responses × 60 questions`;
    return [
      { name: `XLSX export, ${label} (CLI, wall time incl. start)`, value: round(xlsx.seconds), unit: 's', target: '≤ 20 s', met: xlsx.seconds <= 20 },
      { name: `XLSX export, ${label}: CPU time of the CLI process`, value: round(xlsx.cpuSeconds), unit: 's' },
      { name: `XLSX export, ${label}: peak RSS`, value: Math.round(xlsx.peakMb), unit: 'MB', target: '≤ 300 MB', met: xlsx.peakMb <= 300 },
      { name: `XLSX export, ${label}: file size`, value: round(xlsx.bytes / 2 ** 20), unit: 'MB' },
      { name: `XLSX export, ${label}, export model alone (no CLI): wall time`, value: round(lean.seconds), unit: 's' },
      { name: `XLSX export, ${label}, export model alone (no CLI): CPU time`, value: round(lean.cpuSeconds), unit: 's' },
      { name: `XLSX export, ${label}, export model alone (no CLI): peak RSS`, value: Math.round(lean.peakMb), unit: 'MB' },
      { name: `CSV export, ${label} (CLI, wall time incl. start)`, value: round(csv.seconds), unit: 's' },
      { name: `CSV export, ${label}: CPU time of the CLI process`, value: round(csv.cpuSeconds), unit: 's' },
      { name: `CSV export, ${label}: peak RSS`, value: Math.round(csv.peakMb), unit: 'MB' },
    ];
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
