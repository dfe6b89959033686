import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { sizeClass } from '../../utils/size-class';
import type { Aggregates, Resolved } from './assemble';
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
 */

/** Above this many organisations the per-organisation lookup stops being small: use the general SQL. */
export const FAST_PATH_MAX_ORGANISATIONS = 20_000;

export type FastGrouping =
  | { kind: 'none' }
  | { kind: 'grant'; program: string; year: number }
  | { kind: 'attribute'; attribute: 'kommungrupp2017' | 'kommungrupp2023' | 'lan' | 'sizeClass' };

/** Whether the fast path computes this comparison; the caller then also checks the organisation count. */
export function fastPathApplies(def: ComparisonDefinition, kind: Resolved['kind']): boolean {
  if ('grant' in def.measure) return false;
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
  // Answers per (organisation, value): an ordered range of answer_values_org_idx, no sort, no join.
  // (The projection never stores a null value for these kinds; a test per row costs ~10 % at 1 M.)
  const answers = await sql<{ o: number | null; v: string | null; c: number }>`
    select organisation_id as o, value as v, count(*) as c from answer_values
    where survey_id = ${surveyId} and question = ${question}
    group by organisation_id, value`.execute(db);

  // Members per organisation: invited respondents (per round, on assignments_round_org_idx), or
  // the active organisations of the population's kind (one member each).
  const members = new Map<number | null, number>();
  if (population === 'respondents') {
    const rounds = await db.selectFrom('rounds').select('id').where('survey_id', '=', surveyId).execute();
    for (const r of rounds) {
      const rows = await sql<{ o: number | null; n: number }>`
        select organisation_id as o, count(*) as n from assignments where round_id = ${r.id} group by organisation_id`.execute(db);
      for (const row of rows.rows) members.set(row.o, (members.get(row.o) ?? 0) + Number(row.n));
    }
  } else {
    const rows = await db.selectFrom('organisations').select('id').where('kind', '=', population).where('active', '=', 1).execute();
    for (const row of rows) members.set(row.id, 1);
  }

  const groupOf = await groupLookup(db, grouping);
  const cells = new Map<string, { g: string | null; v: string | null; c: number }>();
  const add = (g: string | null, v: string | null, c: number) => {
    const key = JSON.stringify([g, v]);
    const cell = cells.get(key);
    if (cell) cell.c += c;
    else cells.set(key, { g, v, c });
  };
  // Answers per organisation (single choice: answering members; multiple choice: anyone answered).
  const answeredPerOrg = new Map<number | null, number>();
  for (const row of answers.rows) {
    if (row.v === null || !members.has(row.o)) continue; // no value, or outside the population (another kind, inactive)
    const c = Number(row.c);
    add(groupOf(row.o), row.v, c);
    answeredPerOrg.set(row.o, kind === 'multiple' ? 1 : (answeredPerOrg.get(row.o) ?? 0) + c);
  }
  const answered = new Map<string | null, number>();
  for (const [o, n] of members) {
    const g = groupOf(o);
    const done = answeredPerOrg.get(o) ?? 0;
    if (n - done > 0) add(g, null, n - done);
    if (kind === 'multiple' && done > 0) answered.set(g, (answered.get(g) ?? 0) + done);
  }
  const out: Aggregates = { cells: [...cells.values()] };
  if (kind === 'multiple') out.answered = answered;
  return out;
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
