import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectOf, parseDatabaseUrl } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import { loadReferenceData } from '../../db/seed/reference';
import { getEnv, resetEnvForTests } from '~/utils/env.server';
import { ensureResponse, loadRespondentContext } from '~/models/responses/responses.server';
import { freshDb, type TestDb } from '../helpers/db';
import { openRound } from '../respond/helpers';

describe('parseDatabaseUrl', () => {
  it('defaults to the SQLite file under ./data', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ dialect: 'sqlite', location: './data/enkatnav.db' });
  });
  it('reads file: and postgres: URLs', () => {
    expect(parseDatabaseUrl('file:/tmp/x.db')).toEqual({ dialect: 'sqlite', location: '/tmp/x.db' });
    expect(parseDatabaseUrl('postgres://u:p@127.0.0.1:5432/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('postgresql://127.0.0.1/db').dialect).toBe('postgres');
  });
  it('rejects anything else with a clear message', () => {
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/DATABASE_URL must be/);
    expect(() => parseDatabaseUrl('file:')).toThrow(/needs a path/);
  });
});

describe('PG_POOL_MAX', () => {
  afterEach(() => {
    delete process.env.PG_POOL_MAX;
    resetEnvForTests();
  });
  it('defaults to 10 and refuses nonsense at start with the variable named', () => {
    resetEnvForTests();
    expect(getEnv().PG_POOL_MAX).toBe(10);
    for (const bad of ['abc', '0', '2.5', '100000']) {
      process.env.PG_POOL_MAX = bad;
      resetEnvForTests();
      expect(() => getEnv(), bad).toThrow(/Invalid environment:\n {2}PG_POOL_MAX:/);
    }
    process.env.PG_POOL_MAX = '25';
    resetEnvForTests();
    expect(getEnv().PG_POOL_MAX).toBe(25);
  });
});

describe('migrated database with reference data', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('holds 290 kommuner, 21 regioner and 21 länsstyrelser', async () => {
    t = await freshDb();
    const rows = await t.db
      .selectFrom('organisations')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.n]))).toEqual({ kommun: 290, region: 21, lansstyrelse: 21 });
  });

  it('has the published SKR kommungrupp 2017 sizes and 10 230 185 inhabitants', async () => {
    t = await freshDb();
    const groups = await t.db
      .selectFrom('organisations')
      .select(['kommungrupp2017_code as code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', '=', 'kommun')
      .groupBy('kommungrupp2017_code')
      .orderBy('kommungrupp2017_code')
      .execute();
    expect(groups.map((g) => g.n)).toEqual([3, 43, 21, 52, 35, 29, 52, 40, 15]);
    const total = await t.db
      .selectFrom('organisations')
      .select((eb) => eb.fn.sum<number>('population').as('sum'))
      .where('kind', '=', 'kommun')
      .executeTakeFirstOrThrow();
    expect(Number(total.sum)).toBe(10_230_185);
  });

  it('loads reference data idempotently and migrations are up to date', async () => {
    t = await freshDb();
    expect(await migrateToLatest(t.db)).toEqual([]);
    await loadReferenceData(t.db);
    const { n } = await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(332);
    const stockholm = await t.db.selectFrom('organisations').selectAll().where('code', '=', '0180').executeTakeFirstOrThrow();
    expect(stockholm).toMatchObject({ name: 'Stockholm', lan_code: '01', kommungrupp2017_code: 'A1', population: 962154 });
  });

  it('enforces foreign keys and the kind check', async () => {
    t = await freshDb();
    const now = new Date().toISOString();
    await expect(
      t.db.insertInto('organisations').values({ kind: 'stadsdel', code: 'X1', name: 'X', lan_code: '99', created_at: now, updated_at: now }).execute(),
    ).rejects.toThrow();
    await expect(
      // @ts-expect-error an unknown kind must be refused by the database too
      t.db.insertInto('organisations').values({ kind: 'foretag', code: 'X2', name: 'X', created_at: now, updated_at: now }).execute(),
    ).rejects.toThrow();
  });

  it('keeps numeric answers at full precision (PostgreSQL real would round 123456789 to 123456792)', async () => {
    t = await freshDb();
    const { assignments } = await openRound(t.db, 'oj-vinr-2019', ['0180']);
    const ctx = (await loadRespondentContext(t.db, assignments[0].token))!;
    const response = await ensureResponse(t.db, ctx);
    const amounts = [123_456_789, 9_876_543.21, 2 ** 53 - 1, 1e-300];
    await t.db
      .insertInto('answer_values')
      .values(amounts.map((num, i) => ({ response_id: response.id, survey_id: 'oj-vinr-2019', organisation_id: ctx.assignment.organisation_id, question: `q${i}`, value: String(num), num })))
      .execute();
    const stored = await t.db.selectFrom('answer_values').select('num').where('response_id', '=', response.id).orderBy('question').execute();
    expect(stored.map((r) => Number(r.num))).toEqual(amounts);
  });

  it('replacing an organisation’s analysis rows on submit is an index seek, not a scan of the survey', async () => {
    t = await freshDb();
    const plan =
      t.dialect === 'sqlite'
        ? (await sql<{ detail: string }>`explain query plan delete from answer_values where survey_id = ${'oj-vinr-2019'} and organisation_id = ${1}`.execute(t.db)).rows.map((r) => r.detail).join('\n')
        : // An empty table is cheapest to scan; ask PostgreSQL whether it could seek at all.
          await t.db.transaction().execute(async (trx) => {
            await sql`set local enable_seqscan = off`.execute(trx);
            const rows = (await sql<{ 'QUERY PLAN': string }>`explain delete from answer_values where survey_id = ${'oj-vinr-2019'} and organisation_id = ${1}`.execute(trx)).rows;
            return rows.map((r) => r['QUERY PLAN']).join('\n');
          });
    expect(plan).toMatch(/answer_values_org_survey_idx/);
  });

  it('speaks the expected dialect', async () => {
    t = await freshDb();
    expect(dialectOf(t.db)).toBe(t.dialect);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(t.db);
    expect(rows[0].one).toBe(1);
  });
});

describe('migrateToLatest', () => {
  it('runs a migration that landed after a later-named one had already run', async () => {
    const { Kysely, SqliteDialect } = await import('kysely');
    const { default: Database } = await import('better-sqlite3');
    const { migrations } = await import('../../db/migrations/index');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      const late = '2026-12-03-11-survey-versions';
      const without = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== late));
      const first = await migrateToLatest(db, { getMigrations: async () => without });
      expect(first).not.toContain(late);
      expect(first).toContain('2026-12-03-13-mail-unsubscribe');
      const second = await migrateToLatest(db, { getMigrations: async () => migrations });
      expect(second).toEqual([late]);
      expect(await migrateToLatest(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
