/**
 * A comparison over 10 k, 100 k and 1 M submitted responses on a SQLite file, next to a
 * hand-written SQL GROUP BY over the same rows in the same run. Target (issue 6): ≤ 200 ms and
 * ≤ 1.5 × the SQL at 1 M.
 *
 * The data have the shape the product can have: an organisation answers a survey once, and there
 * are a few thousand organisations, so 1 M responses are persons answering a person survey
 * (malgrupp-samordnare-2026), invited through 3,000 organisations (the 290 reference kommuner and
 * synthetic ones). The comparison is "nya_metoder by the grant status 2018 of the respondent's
 * organisation", with missing counted (invited, no answer), as an evaluator would make it.
 * Each size is built once into .cache/bench/ (bulk inserts in transactions through
 * better-sqlite3) and reused until the migrations or the generator change.
 *
 * PostgreSQL vs SQLite (issue 8): with DATABASE_URL=postgres://… the 100 k database is copied
 * row for row into a PostgreSQL database (cached there under the SQLite file's name), and the
 * same definition and the same hand-written SQL are timed on it in the same run. Without it,
 * nothing is started and the figure says it was skipped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { createDb, openSqlite } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { loadReferenceData } from '../../db/seed/reference';
import { computeComparison } from '../../app/models/comparisons/compute.server';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { testPostgresUrl, withDatabase } from '../helpers/base-db';
import { percentile, round, type BenchFigure } from './figure';

const SIZES = (process.env.BENCH_COMPARE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const RUNS = 7;
const PROGRAM = 'bench-medel';
const SURVEY = 'malgrupp-samordnare-2026';
const ORGANISATIONS = 3000;
/** The size compared between PostgreSQL and SQLite. */
const PG_SIZE = 100_000;
/** What a comparison reads, copied to PostgreSQL in foreign-key order. */
const PG_TABLES = ['lan', 'organisations', 'grants', 'rounds', 'assignments', 'responses', 'answer_values'];

const definition = parseDefinition({
  title: 'Bänk',
  population: { kind: 'respondents' },
  measure: { survey: SURVEY, question: 'nya_metoder' },
  groupBy: { grant: { program: PROGRAM, year: 2018 }, map: { forbrukat: 'Använt', ej_rekvirerat: 'Inte använt', aterbetalt: 'Inte använt' } },
  suppressBelow: 5,
});

/** Adds synthetic organisations up to ORGANISATIONS, a grant for each, and `size` invited persons. */
export function grow(file: string, size: number) {
  const db = openSqlite(file);
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const lan = (db.prepare('select code from lan').all() as { code: string }[]).map((l) => l.code);
  const org = db.prepare(
    "insert into organisations (kind, code, name, lan_code, kommungrupp2017_code, population, active, created_at, updated_at) values ('organisation', ?, ?, ?, ?, ?, 1, ?, ?)",
  );
  const grant = db.prepare('insert into grants (organisation_id, program, year, status, allocated_sek, used_sek, repaid_sek, created_at, updated_at) values (?, ?, 2018, ?, ?, ?, ?, ?, ?)');
  const orgIds = db.transaction(() => {
    const ids = (db.prepare('select id from organisations order by id').all() as { id: number }[]).map((o) => o.id);
    for (let i = ids.length; i < ORGANISATIONS; i++)
      ids.push(Number(org.run(`X${i}`, `Bänkorganisation ${i}`, lan[i % lan.length], `C${(i % 9) + 1}`, 1000 + ((i * 7919) % 300_000), now, now).lastInsertRowid));
    // A few organisations have no ledger row (the "Uppgift saknas" group).
    ids.forEach((id, i) => {
      if (i % 101 === 0) return;
      const status = i % 11 === 0 ? 'ej_rekvirerat' : i % 37 === 0 ? 'aterbetalt' : 'forbrukat';
      const allocated = status === 'ej_rekvirerat' ? 0 : 100_000;
      const used = status === 'forbrukat' ? 90_000 : 0;
      grant.run(id, PROGRAM, status, allocated, used, allocated - used, now, now);
    });
    return ids;
  })();
  const roundId = Number(
    db.prepare('insert into rounds (survey_id, title, opens_at, closes_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?)').run(SURVEY, 'Bänk', now, now, now, now).lastInsertRowid,
  );
  const assignment = db.prepare(
    'insert into assignments (round_id, organisation_id, person_email, status, token_hash, token_nonce, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const response = db.prepare('insert into responses (assignment_id, survey_id, data, version, submitted_at, created_at, updated_at) values (?, ?, ?, 1, ?, ?, ?)');
  const answer = db.prepare('insert into answer_values (response_id, survey_id, organisation_id, question, value, num) values (?, ?, ?, ?, ?, null)');
  const batch = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const orgId = orgIds[(i * 7) % orgIds.length];
      // One in 25 also has a colleague who was invited and never submitted (missing, no response).
      if (i % 25 === 3) assignment.run(roundId, orgId, `q${i}@example.org`, 'not_started', `hq${i}`, `nq${i}`, now, now);
      const aId = Number(assignment.run(roundId, orgId, `p${i}@example.org`, 'submitted', `h${i}`, `n${i}`, now, now).lastInsertRowid);
      const rId = Number(response.run(aId, SURVEY, '{}', now, now, now).lastInsertRowid);
      // About 7 % skip the measured question.
      if (i % 14 !== 0) answer.run(rId, SURVEY, orgId, 'nya_metoder', ['ja', 'nej', 'vet_ej'][(i * 13 + (orgId % 5)) % 3 === 0 ? 1 : i % 4 === 0 ? 2 : 0]);
      answer.run(rId, SURVEY, orgId, 'roll', ['fortroendevald', 'chef', 'strateg_samordnare', 'handlaggare'][i % 4]);
    }
  });
  for (let i = 0; i < size; i += 50_000) batch(i, Math.min(size, i + 50_000));
  db.exec('analyze');
  db.close();
}

/**
 * What a competent analyst writes for the same figure against the same tables: answers per grant
 * status and value, and the invited per status (for "missing"), each aggregated per organisation
 * first (in index order, so without a sort) and then joined to the small ledger, rather than
 * joining every answer row (which takes seconds at 1 M in SQLite).
 */
async function handWritten(db: Kysely<Database>) {
  const cells = await sql`
    select g.status, a.value, sum(a.c) as c
    from (select organisation_id, value, count(*) as c from answer_values
          where survey_id = ${SURVEY} and question = 'nya_metoder' group by organisation_id, value) a
    left join grants g on g.organisation_id = a.organisation_id and g.program = ${PROGRAM} and g.year = 2018
    group by g.status, a.value`.execute(db);
  const invited = await sql`
    select g.status, sum(m.c) as c
    from (select a.organisation_id, count(*) as c from rounds r join assignments a on a.round_id = r.id
          where r.survey_id = ${SURVEY} group by r.id, a.organisation_id) m
    left join grants g on g.organisation_id = m.organisation_id and g.program = ${PROGRAM} and g.year = 2018
    group by g.status`.execute(db);
  return [cells.rows, invited.rows];
}

async function median(call: () => Promise<unknown>): Promise<number> {
  await call();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await call();
    ms.push(performance.now() - started);
  }
  return percentile(ms, 50);
}

/**
 * The database for one size, built once and cached under .cache/bench/ under a key made of the
 * migrations' source and this data generator, so a schema change rebuilds it and reruns don't
 * pay the build again (1 M takes minutes on a shared machine).
 */
async function cachedDatabase(size: number): Promise<{ file: string; builtSeconds: number | null }> {
  const migrations = path.resolve(import.meta.dirname, '../../db/migrations');
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(migrations).sort()) hash.update(f).update(fs.readFileSync(path.join(migrations, f)));
  hash.update(grow.toString());
  const dir = path.resolve(import.meta.dirname, '../../.cache/bench');
  const file = path.join(dir, `comparison-${hash.digest('hex').slice(0, 12)}-${size}.db`);
  if (fs.existsSync(file)) return { file, builtSeconds: null };
  fs.mkdirSync(dir, { recursive: true });
  for (const old of fs.readdirSync(dir)) if (old.startsWith('comparison-') && old.endsWith(`-${size}.db`)) fs.rmSync(path.join(dir, old));
  const started = performance.now();
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const setup = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(partial) }) });
  await migrateToLatest(setup);
  await loadReferenceData(setup);
  await setup.destroy();
  grow(partial, size);
  const done = openSqlite(partial);
  done.pragma('journal_mode = DELETE'); // one self-contained file to rename
  done.close();
  fs.renameSync(partial, file);
  // Written with synchronous = OFF: flush it now, or the kernel's writeback of ~700 MB (at 1 M)
  // runs during the first timings and adds ~100 ms to each.
  const fd = fs.openSync(file, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return { file, builtSeconds: (performance.now() - started) / 1000 };
}

/**
 * A PostgreSQL copy of one SQLite bench database: migrated, then every row of PG_TABLES with its
 * id, in one session with foreign-key triggers off. Cached as a database named after the SQLite
 * file (which names the migrations and generator), built under a temporary name and renamed when
 * complete, so an interrupted build is never reused.
 */
async function postgresCopy(pgUrl: string, sqliteFile: string, size: number): Promise<{ url: string; builtSeconds: number | null }> {
  const name = `enkatnav_bench_${path.basename(sqliteFile, '.db').replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;
  const partial = `${name}_partial`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    if ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount) return { url: withDatabase(pgUrl, name), builtSeconds: null };
    const started = performance.now();
    const stale = await admin.query('select datname from pg_database where datname ~ $1', [`^enkatnav_bench_comparison_[0-9a-f]+_${size}(_partial)?$`]);
    for (const { datname } of stale.rows as { datname: string }[]) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.query(`create database ${partial}`);
    const setup = createDb({ dialect: 'postgres', location: withDatabase(pgUrl, partial) });
    await migrateToLatest(setup);
    await setup.destroy();
    const source = openSqlite(sqliteFile);
    const target = new pg.Client({ connectionString: withDatabase(pgUrl, partial) });
    await target.connect();
    try {
      await target.query('set session_replication_role = replica'); // the rows are consistent already
      for (const table of PG_TABLES) {
        const columns = (source.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
        const perInsert = Math.floor(30_000 / columns.length);
        let batch: unknown[][] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const params = batch.flat();
          const tuples = batch.map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`);
          await target.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
          batch = [];
        };
        for (const row of source.prepare(`select * from ${table} order by rowid`).raw().iterate() as Iterable<unknown[]>) {
          batch.push(row);
          if (batch.length >= perInsert) await flush();
        }
        await flush();
        if (columns.includes('id')) await target.query(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 1)) from ${table}`);
      }
      await target.query('analyze');
    } finally {
      await target.end();
      source.close();
    }
    // The pool's connections may take a moment to go: retry the rename a bounded number of times.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`alter database ${partial} rename to ${name}`);
        break;
      } catch (e) {
        if (attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return { url: withDatabase(pgUrl, name), builtSeconds: (performance.now() - started) / 1000 };
  } finally {
    await admin.end();
  }
}

/** The comparison and the hand-written SQL on one database: medians in ms, after a check of the result. */
async function measure(db: Kysely<Database>, size: number): Promise<{ cmp: number; raw: number }> {
  const result = await computeComparison(db, definition);
  // Used, not used, and the organisations with no ledger row in this programme.
  if (result.groups.length !== 3) throw new Error(`expected three groups, got ${result.groups.length}`);
  const invited = size + Math.ceil((size - 3) / 25);
  if (result.total.n + result.total.missing !== invited) throw new Error(`expected ${invited} invited, got ${result.total.n + result.total.missing}`);
  return { cmp: await median(() => computeComparison(db, definition)), raw: await median(() => handWritten(db)) };
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const pgUrl = testPostgresUrl();
  for (const size of SIZES) {
    const { file, builtSeconds } = await cachedDatabase(size);
    if (builtSeconds !== null) figures.push({ name: `build ${size / 1000} k responses (once, cached in .cache/bench)`, value: round(builtSeconds, 1), unit: 's' });
    // The app's own settings (configureSqlite: a 128 MB page cache), for the comparison and the SQL alike.
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(file) }) });
    let sqlite: { cmp: number; raw: number };
    try {
      sqlite = await measure(db, size);
    } finally {
      await db.destroy();
    }
    const { cmp, raw } = sqlite;
    const isTarget = size === 1_000_000;
    figures.push({ name: `comparison, ${size / 1000} k responses (median of ${RUNS})`, value: round(cmp), unit: 'ms', ...(isTarget ? { target: '≤ 200 ms', met: cmp <= 200 } : {}) });
    figures.push({ name: `hand-written SQL GROUP BY, ${size / 1000} k responses`, value: round(raw), unit: 'ms' });
    figures.push({ name: `comparison / SQL, ${size / 1000} k`, value: round(cmp / raw, 2), unit: '×', ...(isTarget ? { target: '≤ 1.5 ×', met: cmp / raw <= 1.5 } : {}) });

    if (size !== PG_SIZE) continue;
    if (!pgUrl) {
      figures.push({ name: `PostgreSQL: comparison, ${size / 1000} k responses`, value: 'skipped: DATABASE_URL is not postgres://…', unit: '' });
      continue;
    }
    const copy = await postgresCopy(pgUrl, file, size);
    if (copy.builtSeconds !== null) figures.push({ name: `PostgreSQL: copy ${size / 1000} k responses (once, cached as a database)`, value: round(copy.builtSeconds, 1), unit: 's' });
    const pgDb = createDb({ dialect: 'postgres', location: copy.url });
    let onPg: { cmp: number; raw: number };
    try {
      onPg = await measure(pgDb, size);
    } finally {
      await pgDb.destroy();
    }
    figures.push(
      { name: `PostgreSQL: comparison, ${size / 1000} k responses (median of ${RUNS})`, value: round(onPg.cmp), unit: 'ms' },
      { name: `PostgreSQL: hand-written SQL GROUP BY, ${size / 1000} k responses`, value: round(onPg.raw), unit: 'ms' },
      { name: `PostgreSQL: comparison / SQL, ${size / 1000} k`, value: round(onPg.cmp / onPg.raw, 2), unit: '×' },
      { name: `PostgreSQL / SQLite, comparison at ${size / 1000} k`, value: round(onPg.cmp / cmp, 2), unit: '×' },
    );
  }
  return figures;
}
