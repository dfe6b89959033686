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
}

const num = (v: unknown) => Number(v ?? 0);

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
  let from: RawBuilder<unknown>;
  let valueExpr: RawBuilder<unknown>;
  let memberExpr: RawBuilder<unknown>;
  if ('grant' in m) {
    from = sql`from organisations o ${groupJoin}
      left join grants mg on mg.organisation_id = o.id and mg.program = ${m.grant.program} and mg.year = ${period.year!}
      where o.kind = ${def.population.kind} and o.active = 1`;
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
      where o.kind = ${def.population.kind} and o.active = 1`;
    valueExpr = sql`av.value`;
    memberExpr = sql`o.id`;
  }
  const cells = await sql<{ g: string | null; v: string | null; c: number }>`
    select ${groupExpr} as g, ${valueExpr} as v, count(*) as c ${from} group by 1, 2`.execute(db);
  const out: Aggregates = { cells: cells.rows.map((r) => ({ g: r.g, v: r.v, c: num(r.c) })) };
  if (kind === 'multiple') {
    const answered = await sql<{ g: string | null; n: number }>`
      select ${groupExpr} as g, count(distinct ${memberExpr}) as n ${from} and av.value is not null
      group by 1`.execute(db);
    out.answered = new Map(answered.rows.map((r) => [r.g, num(r.n)]));
  }
  if (kind === 'numeric') {
    const values = await sql<{ g: string | null; x: number }>`
      select ${groupExpr} as g, av.num as x ${from} and av.num is not null`.execute(db);
    out.numbers = new Map();
    for (const r of values.rows) out.numbers.set(r.g, [...(out.numbers.get(r.g) ?? []), Number(r.x)]);
  }
  return out;
}
