/**
 * The administrator's status view for a round of 10 000 assignments, in process on a SQLite
 * file: the route loader (session check, rates by status/län/kommungrupp, one 200-row page with
 * contacts and reminder counts) called with real Requests, unfiltered, filtered and deep in the
 * list, plus the missing-list CSV export. Target (issue 5): status view < 200 ms server time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createDb, openSqlite } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import type { AssignmentStatus, Database } from '../../db/schema';
import { loadReferenceData } from '../../db/seed/reference';
import { createUser } from '../../app/models/auth/users.server';
import { loader as statusLoader } from '../../app/routes/admin.omgangar.$id';
import { loader as exportLoader } from '../../app/routes/admin.omgangar.$id.saknade';
import { setDb } from '../../app/utils/db.server';
import { createSession } from '../../app/utils/session.server';
import { percentile, round, type BenchFigure } from './figure';

const ASSIGNMENTS = 10_000;
const RUNS = 30;

export async function seed(db: Kysely<Database>): Promise<number> {
  const now = new Date().toISOString();
  const lan = (await db.selectFrom('lan').select('code').execute()).map((l) => l.code);
  const groups = ['A1', 'A2', 'A3', 'B3', 'B4', 'B5', 'B6', 'C7', 'C8', 'C9'];
  const extra = ASSIGNMENTS - 290;
  for (let i = 0; i < extra; i += 500) {
    const batch = Array.from({ length: Math.min(500, extra - i) }, (_, j) => {
      const n = i + j;
      return {
        kind: 'organisation' as const, code: `B${String(n).padStart(6, '0')}`, name: `Bänkorganisation ${n}`, lan_code: lan[n % lan.length],
        kommungrupp2017_code: groups[n % groups.length], kommungrupp2017_name: `Grupp ${groups[n % groups.length]}`, kommungrupp2023_code: null, kommungrupp2023_name: null,
        population: null, population_year: null, parent_id: null, active: 1, created_at: now, updated_at: now,
      };
    });
    await db.insertInto('organisations').values(batch).execute();
  }
  const orgIds = (await db.selectFrom('organisations').select('id').where('kind', 'in', ['kommun', 'organisation']).orderBy('id').execute()).map((o) => o.id);
  const round = await db
    .insertInto('rounds')
    .values({ survey_id: 'oj-vinr-2019', title: 'Bänk', opens_at: now, closes_at: new Date(Date.now() + 30 * 86_400_000).toISOString(), closed_at: null, reminder_schedule: '[-14,-3,2]', contact_text: null, created_by: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const statuses: AssignmentStatus[] = ['submitted', 'submitted', 'draft', 'not_started', 'not_started', 'reopened'];
  for (let i = 0; i < orgIds.length; i += 500) {
    const rows = orgIds.slice(i, i + 500).map((id, j) => ({
      round_id: round.id, organisation_id: id, person_name: null, person_email: null, status: statuses[(i + j) % statuses.length], extended_until: null,
      token_nonce: randomBytes(16).toString('hex'), token_hash: randomBytes(32).toString('hex'), created_at: now, updated_at: now,
    }));
    const inserted = await db.insertInto('assignments').values(rows).returning(['id', 'status', 'organisation_id']).execute();
    const started = inserted.filter((a) => a.status !== 'not_started');
    if (started.length) {
      await db.insertInto('responses').values(started.map((a) => ({
        assignment_id: a.id, survey_id: 'oj-vinr-2019', data: '{"fortbildning_vuxna":"ja"}', version: 2, prefilled_keys: null, last_saved_at: now, last_saved_by: 'bänk@example.se',
        submitted_at: a.status === 'submitted' ? now : null, submitted_by: a.status === 'submitted' ? 'bänk@example.se' : null, submitted_email: null, reference: null, created_at: now, updated_at: now,
      }))).execute();
    }
    const missing = inserted.filter((a) => a.status !== 'submitted');
    await db.insertInto('outbox').values(missing.flatMap((a) => ['-14', '-3'].map((step) => ({
      kind: 'reminder', to_address: `kontakt${a.id}@example.se`, subject: 'Påminnelse', text_body: '…', html_body: null, dedupe_key: `reminder:${a.id}:${step}`, assignment_id: a.id,
      status: 'sent' as const, next_attempt_at: now, created_at: now, updated_at: now,
    })))).execute();
    await db.insertInto('contacts').values(inserted.flatMap((a) => [1, 2].map((k) => ({
      organisation_id: a.organisation_id!, name: `Kontakt ${k}`, email: `k${k}.${a.organisation_id}@example.se`, role: 'socialchef', created_at: now, updated_at: now,
    })))).execute();
  }
  return round.id;
}

async function time(runs: number, call: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await call();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call();
    ms.push(performance.now() - started);
  }
  return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) };
}

/** Seeds a round of 10 000 assignments into `db` and times the status view's loader on it. */
async function measure(db: Kysely<Database>, label: string): Promise<BenchFigure[]> {
  await migrateToLatest(db);
  await loadReferenceData(db);
  const roundId = await seed(db);
  setDb(db);
  const admin = await createUser(db, { email: 'bench-admin@example.se', role: 'admin' });
  const cookie = (await createSession(db, admin.id)).split(';')[0];
  const call = (loader: typeof statusLoader | typeof exportLoader, query: string) => async () => {
    const request = new Request(`http://127.0.0.1/admin/omgangar/${roundId}${query}`, { headers: { Cookie: cookie } });
    const res = await loader({ request, params: { id: String(roundId) }, context: { nonce: '' } });
    if (res instanceof Response && !res.ok) throw new Error(`status ${res.status}`);
    if (res instanceof Response) await res.arrayBuffer();
    return res;
  };
  const check = (await call(statusLoader, '')()) as Awaited<ReturnType<typeof statusLoader>>;
  if (check.rates.overall.total !== ASSIGNMENTS || check.page.rows.length !== 200) throw new Error(`unexpected seed: ${check.rates.overall.total} / ${check.page.rows.length}`);
  const plain = await time(RUNS, call(statusLoader, ''));
  const filtered = await time(RUNS, call(statusLoader, '?status=missing&lan=01&kg=A2'));
  const deep = await time(RUNS, call(statusLoader, '?status=missing&sida=30'));
  const csv = await time(5, call(exportLoader, '/saknade?format=csv'));
  const target = '< 200 ms';
  return [
    { name: `${label}: status view, ${ASSIGNMENTS} assignments, page 1 (p50)`, value: plain.p50, unit: 'ms', target, met: plain.p50 < 200 },
    { name: `${label}: status view, ${ASSIGNMENTS} assignments, page 1 (p95)`, value: plain.p95, unit: 'ms', target, met: plain.p95 < 200 },
    { name: `${label}: status view, filtered missing + län + kommungrupp (p50)`, value: filtered.p50, unit: 'ms', target, met: filtered.p50 < 200 },
    { name: `${label}: status view, missing list page 30 (p50)`, value: deep.p50, unit: 'ms', target, met: deep.p50 < 200 },
    { name: `${label}: missing-list CSV export, ${Math.round((ASSIGNMENTS * 4) / 6)} rows with contacts (p50)`, value: csv.p50, unit: 'ms' },
  ];
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-bench-status-'));
  const sqlite = openSqlite(path.join(dir, 'bench.db'));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    figures.push(...(await measure(db, 'SQLite')));
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // With DATABASE_URL=postgres://… the same on a fresh PostgreSQL database.
  const pgUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
  if (pgUrl) {
    const name = `enkatnav_bench_status_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    const pgDb = createDb({ dialect: 'postgres', location: url.toString() });
    try {
      figures.push(...(await measure(pgDb, 'PostgreSQL')));
    } finally {
      await pgDb.destroy();
      // pg's pool.end() resolves before its clients have closed; a forced drop at once would
      // kill them mid-close and crash the run with an unhandled 'error' event.
      await new Promise((r) => setTimeout(r, 1000));
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  }
  return figures;
}
