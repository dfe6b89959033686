import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../db/dialect';
import type { Database } from '../../../db/schema';
import { sizeClass } from '../../utils/size-class';
import type { Aggregates, Resolved } from './assemble';
import { NONE_VALUE } from './aggregate.server';
import type { ComparisonDefinition } from './definition';

/**
 * The fast path of a comparison: the same aggregates as the general SQL in compute.server.ts,
 * computed without joining the answer rows to anything.
 *
 * SQLite joins row by row and has no hash aggregate, so joining 1 M answer rows to their
 * organisations and grants costs a B-tree seek per row plus a sort for the GROUP BY (seconds). But
 * answers are given by at most a few thousand organisations, and every grouping here (grant
 * status, län, kommungrupp, size class) is a property of the organisation. So: count the answers
 * per (organisation, value) in one ordered scan of a covering index, count the members per
 * organisation the same way, and map the few thousand organisations to their group in JS.
 * test/compare/fast-path.test.ts checks it gives exactly the general SQL's aggregates.
 *
 * On SQLite, when there are many rows per organisation (a person survey: 1 M respondents in a
 * few thousand organisations), even that GROUP BY costs as much again as reading the rows: it
 * extracts and compares the grouping columns of every row. There the counts are taken per key
 * instead: one correlated count(*) per (organisation) or (organisation, value), each an index
 * range that SQLite only steps through (test/bench/comparison.bench.ts: about a quarter less CPU
 * at 1 M). The keys come from small lists: the organisations (every assignment names one of
 * them, or none: a foreign key) and the question's distinct values, found with a seek each on
 * answer_values_value_idx. PostgreSQL, with hash aggregates, keeps the GROUP BY.
 */

/** Above this many organisations the per-organisation lookup stops being small: use the general SQL. */
export const FAST_PATH_MAX_ORGANISATIONS = 20_000;

/**
 * Rows per key from which a count per key beats the GROUP BY on SQLite: each count costs a
 * correlated subquery and a seek (~2 µs), the GROUP BY some 25–40 ns more per row than a plain
 * range count. Measured at 100 k (~35 rows per organisation: the GROUP BY wins) and 1 M (~350).
 */
export const fastPathTuning = { denseRowsPerKey: 64 };

export type FastGrouping =
  | { kind: 'none' }
  | { kind: 'grant'; program: string; year: number }
  | { kind: 'attribute'; attribute: 'kommungrupp2017' | 'kommungrupp2023' | 'lan' | 'sizeClass' };

/** Whether the fast path computes this comparison; the caller then also checks the organisation count. */
export function fastPathApplies(def: ComparisonDefinition, kind: Resolved['kind']): boolean {
  if (!('survey' in def.measure) || def.population.grant) return false;
  if (def.groupBy && 'question' in def.groupBy) return false;
  if (kind === 'single' || kind === 'boolean') return true;
  // Multiple choice needs "members who chose anything": one response per member only for organisations.
  return kind === 'multiple' && def.population.kind !== 'respondents';
}

export async function organisationCountIsSmall(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n) <= FAST_PATH_MAX_ORGANISATIONS;
}

/**
 * Aggregates one period of a survey-question measure: cells (group, value, count), value null for
 * members without an answer, and for multiple choice the members who answered, per group.
 */
export async function aggregateFast(
  db: Kysely<Database>,
  def: ComparisonDefinition,
  surveyId: string,
  question: string,
  grouping: FastGrouping,
  kind: Resolved['kind'],
): Promise<Aggregates> {
  const population = def.population.kind;
  const sqlite = dialectOf(db) === 'sqlite';

  // Members per organisation: invited respondents (per round, on assignments_round_org_idx), or
  // the active organisations of the population's kind (one member each).
  const members = new Map<number | null, number>();
  if (population === 'respondents') {
    const rounds = await db.selectFrom('rounds').select('id').where('survey_id', '=', surveyId).execute();
    // Counted per organisation ("none" first, then in id order: the index's order) only when the
    // whole table has that many assignments per organisation (counts SQLite takes from the
    // B-trees' pages without reading the rows: ~1 ms at 1 M).
    const count = async (table: 'assignments' | 'organisations') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const dense = sqlite && (await count('assignments')) >= fastPathTuning.denseRowsPerKey * ((await count('organisations')) + 1);
    const organisations = dense ? [null, ...(await db.selectFrom('organisations').select('id').orderBy('id').execute()).map((o) => o.id)] : [];
    for (const r of rounds) {
      const rows = dense
        ? await sql<{ o: number | null; n: number }>`
            select j.value as o, (select count(*) from assignments where round_id = ${r.id} and organisation_id is j.value) as n
            from json_each(${JSON.stringify(organisations)}) j`.execute(db)
        : await sql<{ o: number | null; n: number }>`
            select organisation_id as o, count(*) as n from assignments where round_id = ${r.id} group by organisation_id`.execute(db);
      for (const row of rows.rows) if (Number(row.n) > 0) members.set(row.o, (members.get(row.o) ?? 0) + Number(row.n));
    }
  } else {
    const rows = await db.selectFrom('organisations').select('id').where('kind', '=', population).where('active', '=', 1).execute();
    for (const row of rows) members.set(row.id, 1);
  }

  // Answers per (organisation, value), in that order. (The projection never stores a null value
  // for these kinds; a test per row costs ~10 % at 1 M.)
  let invited = 0;
  for (const n of members.values()) invited += n;
  const values = sqlite && invited >= fastPathTuning.denseRowsPerKey * members.size ? await distinctValues(db, surveyId, question) : [];
  const answers =
    values.length > 0 && invited >= fastPathTuning.denseRowsPerKey * members.size * values.length
      ? await answersPerKey(db, surveyId, question, [...members.keys()].sort((a, b) => (a ?? -Infinity) - (b ?? -Infinity)), values)
      : // An ordered range of answer_values_org_idx, no sort, no join.
        await sql<{ o: number | null; v: string | null; c: number }>`
          select organisation_id as o, value as v, count(*) as c from answer_values
          where survey_id = ${surveyId} and question = ${question}
          group by organisation_id, value`.execute(db);

  const groupOf = await groupLookup(db, grouping);
  const cells = new Map<string, { g: string | null; v: string | null; c: number }>();
  const add = (g: string | null, v: string | null, c: number) => {
    const key = JSON.stringify([g, v]);
    const cell = cells.get(key);
    if (cell) cell.c += c;
    else cells.set(key, { g, v, c });
  };
  // Answers per organisation (single choice: answering members; multiple choice: anyone answered).
  // Multiple choice with base `chose`: "none" alone puts a member outside the base, not in missing.
  const chose = kind === 'multiple' && 'survey' in def.measure && def.measure.base === 'chose';
  const answeredPerOrg = new Map<number | null, number>();
  const anyPerOrg = new Set<number | null>();
  for (const row of answers.rows) {
    if (row.v === null || !members.has(row.o)) continue; // no value, or outside the population (another kind, inactive)
    const c = Number(row.c);
    add(groupOf(row.o), row.v, c);
    anyPerOrg.add(row.o);
    if (chose && row.v === NONE_VALUE) continue;
    answeredPerOrg.set(row.o, kind === 'multiple' ? 1 : (answeredPerOrg.get(row.o) ?? 0) + c);
  }
  const answered = new Map<string | null, number>();
  const excluded = new Map<string | null, number>();
  for (const [o, n] of members) {
    const g = groupOf(o);
    const done = answeredPerOrg.get(o) ?? 0;
    const outside = chose && done === 0 && anyPerOrg.has(o) ? 1 : 0;
    if (n - done - outside > 0) add(g, null, n - done - outside);
    if (kind === 'multiple' && done > 0) answered.set(g, (answered.get(g) ?? 0) + done);
    if (outside) excluded.set(g, (excluded.get(g) ?? 0) + outside);
  }
  const out: Aggregates = { cells: [...cells.values()] };
  if (kind === 'multiple') out.answered = answered;
  if (chose) out.excluded = excluded;
  return out;
}

/** A question's distinct non-null values in index order: one seek each on answer_values_value_idx. */
async function distinctValues(db: Kysely<Database>, surveyId: string, question: string): Promise<string[]> {
  const values = await sql<{ v: string }>`
    with recursive v(x) as (
      select (select value from answer_values where survey_id = ${surveyId} and question = ${question} and value is not null order by value limit 1)
      union all
      select (select value from answer_values where survey_id = ${surveyId} and question = ${question} and value > v.x order by value limit 1)
      from v where v.x is not null
    )
    select x as v from v where x is not null`.execute(db);
  return values.rows.map((r) => r.v);
}

/**
 * The answers of the given organisations, per (organisation, value), in the order of the GROUP
 * BY it replaces: one range count per pair, organisations outermost (CROSS JOIN keeps SQLite from
 * reordering the loops). Pairs without answers are left out, as a GROUP BY would.
 */
async function answersPerKey(db: Kysely<Database>, surveyId: string, question: string, organisations: (number | null)[], values: string[]) {
  const counts = await sql<{ o: number | null; v: string; c: number }>`
    select j.value as o, k.value as v,
      (select count(*) from answer_values a
       where a.survey_id = ${surveyId} and a.question = ${question} and a.value = k.value and a.organisation_id is j.value) as c
    from json_each(${JSON.stringify(organisations)}) j cross join json_each(${JSON.stringify(values)}) k`.execute(db);
  return { rows: counts.rows.filter((r) => Number(r.c) > 0) };
}

/** organisation id → group key (null: no group, e.g. no ledger row or no organisation). */
async function groupLookup(db: Kysely<Database>, grouping: FastGrouping): Promise<(o: number | null) => string | null> {
  if (grouping.kind === 'none') return () => null;
  let map: Map<number, string | null>;
  if (grouping.kind === 'grant') {
    const rows = await db
      .selectFrom('grants')
      .select(['organisation_id', 'status'])
      .where('program', '=', grouping.program)
      .where('year', '=', grouping.year)
      .execute();
    map = new Map(rows.map((r) => [r.organisation_id, r.status]));
  } else {
    const rows = await db.selectFrom('organisations').select(['id', 'lan_code', 'kommungrupp2017_code', 'kommungrupp2023_code', 'population']).execute();
    const attribute = grouping.attribute;
    const keyOf = (r: (typeof rows)[number]): string | null =>
      attribute === 'sizeClass'
        ? sizeClass(r.population === null ? null : Number(r.population))
        : attribute === 'lan'
          ? r.lan_code
          : attribute === 'kommungrupp2017'
            ? r.kommungrupp2017_code
            : r.kommungrupp2023_code;
    map = new Map(rows.map((r) => [r.id, keyOf(r)]));
  }
  return (o) => (o === null ? null : (map.get(o) ?? null));
}
