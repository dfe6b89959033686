import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Aggregates, Resolved } from './assemble';
import type { ComparisonDefinition } from './definition';

/** One period of a comparison: a survey (answers) or a year (grants). */
export interface Period {
  key: string;
  label: string;
  surveyId?: string;
  year?: number;
  /** No submitted answers in this survey: the period is shown as missing. */
  noData?: boolean;
}

const num = (v: unknown) => Number(v ?? 0);

/** The value SurveyJS stores for "inget av alternativen" (showNoneItem): outside a `chose` base. */
export const NONE_VALUE = 'none';

/** The general path: one SQL GROUP BY over the population joined to its grouping and answers. */
export async function aggregate(
  db: Kysely<Database>,
  def: ComparisonDefinition,
  period: Period,
  groupExpr: RawBuilder<unknown>,
  groupJoin: RawBuilder<unknown>,
  kind: Resolved['kind'],
): Promise<Aggregates> {
  const m = def.measure;
  if ('money' in m) throw new Error('money measures are aggregated by money.server.ts');
  const pg = def.population.grant;
  const grantYear = pg?.year ?? period.year;
  // Only members with one of the given grant statuses in the period's year (e.g. users of the funds).
  const onlyGrant = pg
    ? sql`and exists (select 1 from grants pg where pg.organisation_id = o.id and pg.program = ${pg.program} and pg.year = ${grantYear ?? -1}
        and pg.status in (${sql.join(pg.statuses)}))`
    : sql``;
  let from: RawBuilder<unknown>;
  let valueExpr: RawBuilder<unknown>;
  let memberExpr: RawBuilder<unknown>;
  if ('grant' in m) {
    from = sql`from organisations o ${groupJoin}
      left join grants mg on mg.organisation_id = o.id and mg.program = ${m.grant.program} and mg.year = ${period.year!}
      where o.kind = ${def.population.kind} and o.active = 1 ${onlyGrant}`;
    valueExpr = sql`mg.status`;
    memberExpr = sql`o.id`;
  } else if (def.population.kind === 'respondents') {
    from = sql`from assignments a
      join rounds r on r.id = a.round_id and r.survey_id = ${period.surveyId!}
      left join responses rs on rs.assignment_id = a.id and rs.submitted_at is not null
      left join organisations o on o.id = a.organisation_id
      ${groupJoin}
      left join answer_values av on av.response_id = rs.id and av.question = ${m.question}
      where 1 = 1`;
    valueExpr = sql`av.value`;
    memberExpr = sql`a.id`;
  } else {
    from = sql`from organisations o ${groupJoin}
      left join answer_values av on av.organisation_id = o.id and av.survey_id = ${period.surveyId!} and av.question = ${m.question}
      where o.kind = ${def.population.kind} and o.active = 1 ${onlyGrant}`;
    valueExpr = sql`av.value`;
    memberExpr = sql`o.id`;
  }
  const cells = await sql<{ g: string | null; v: string | null; c: number }>`
    select ${groupExpr} as g, ${valueExpr} as v, count(*) as c ${from} group by 1, 2`.execute(db);
  const out: Aggregates = { cells: cells.rows.map((r) => ({ g: r.g, v: r.v, c: num(r.c) })) };
  if (kind === 'multiple') {
    const chose = 'survey' in m && m.base === 'chose';
    const answered = await sql<{ g: string | null; n: number; a: number }>`
      select ${groupExpr} as g, count(distinct ${memberExpr}) as n,
        count(distinct case when av.value <> ${NONE_VALUE} then ${memberExpr} end) as a
      ${from} and av.value is not null
      group by 1`.execute(db);
    out.answered = new Map(answered.rows.map((r) => [r.g, num(chose ? r.a : r.n)]));
    if (chose) out.excluded = new Map(answered.rows.map((r) => [r.g, num(r.n) - num(r.a)]));
  }
  if (kind === 'numeric') {
    const ratioTo = 'survey' in m ? m.ratioTo : undefined;
    // A joint report's amount is the lead's: the copies the projection gives its members are not
    // added again (they would multiply the money), so amounts count once, at the lead.
    const values = await sql<{ g: string | null; x: number; y: number | null }>`
      select ${groupExpr} as g, av.num as x,
        ${ratioTo ? sql`(select max(ar.num) from answer_values ar where ar.response_id = av.response_id and ar.question = ${ratioTo}
          and (ar.organisation_id = av.organisation_id or (ar.organisation_id is null and av.organisation_id is null)))` : sql`null`} as y
      ${from} and av.num is not null
        and not exists (select 1 from responses jr join assignments ja on ja.id = jr.assignment_id
          where jr.id = av.response_id and ja.organisation_id <> av.organisation_id)`.execute(db);
    out.numbers = new Map();
    if (ratioTo) out.ratios = new Map();
    for (const r of values.rows) {
      out.numbers.set(r.g, [...(out.numbers.get(r.g) ?? []), Number(r.x)]);
      if (out.ratios && r.y !== null) {
        const [a, b] = out.ratios.get(r.g) ?? [0, 0];
        out.ratios.set(r.g, [a + Number(r.x), b + Number(r.y)]);
      }
    }
  }
  return out;
}
