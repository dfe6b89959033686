import { sql, type Kysely, type RawBuilder } from 'kysely';
import { countJointMembers } from '../rounds/joint.server';
import { GRANT_STATUSES, type Database } from '../../../db/schema';
import { computeMoney } from './money.server';
import { computeMatrix, wholeMatrix } from './matrix.server';
import { SIZE_CLASSES } from '../../utils/size-class';
import { getSurvey } from '../surveys/surveys.server';
import { PERSON_SUPPRESS_BELOW, type ComparisonDefinition } from './definition';
import { assemble, MISSING_KEY, type GroupResult, type MeasureKind, type PeriodResult, type Resolved } from './assemble';
import { aggregateFast, fastPathApplies, organisationCountIsSmall, type FastGrouping } from './fast.server';
import { aggregate, NONE_VALUE, type Period } from './aggregate.server';
import { ComparisonError } from './errors';
import { describePolicy, trendChange, type FigurePolicy } from './policy';
import { resolveQuestion, sizeClassSql } from './resolve.server';

export type { ComparisonResult, GroupResult, MeasureKind, PeriodResult };
import type { ComparisonResult } from './result';
export { ComparisonError };


export const NOTE_EN = 'Descriptive comparison: it does not show cause and effect. The test is a guide only.';

export const GRANT_STATUS_LABELS: Record<string, string> = {
  ej_rekvirerat: 'Inte rekvirerat',
  forbrukat: 'Förbrukat allt/delvis',
  aterbetalt: 'Återbetalt hela beloppet',
};
const ATTRIBUTE_LABELS = { kommungrupp2017: 'Kommungrupp 2017', kommungrupp2023: 'Kommungrupp 2023', lan: 'Län', sizeClass: 'Kommunstorlek' };

/**
 * Computes a comparison: per group and for the whole population (Riket), n, missing, counts
 * and percent (numeric: mean, median, sum), with small-cell suppression and a guide test.
 * @example const result = await computeComparison(db, definitionSchema.parse(json))
 */
export async function computeComparison(
  db: Kysely<Database>,
  def: ComparisonDefinition,
  /** `general` skips the fast path (fast.server.ts); tests use it to check both agree. */
  options: { path?: 'auto' | 'general' } = {},
): Promise<ComparisonResult> {
  const respondents = def.population.kind === 'respondents';
  const m = def.measure;
  const g = def.groupBy;
  if (respondents && !('survey' in m))
    throw new ComparisonError('A grant measure needs an organisation population', 'Medel kan bara jämföras för organisationer');
  if (respondents && def.population.grant)
    throw new ComparisonError('A grant filter needs an organisation population', 'Urval efter medel går bara för organisationer');
  if ('money' in m) return computeMoney(db, def);
  if (wholeMatrix(def)) return computeMatrix(db, def, (d, x) => computeComparison(d, x, options));
  const policy = resolvePolicy(def, respondents);

  // --- What is measured, per period ---
  let resolved: Resolved;
  let periods: Period[];
  let sourceParts: string[] = [];
  if ('grant' in m) {
    const map = m.map ?? {};
    // Mapped labels in the order the map names them, then any unmapped statuses.
    const labels = [...new Set([...GRANT_STATUSES.filter((s) => map[s]).map((s) => map[s]), ...GRANT_STATUSES.map((s) => map[s] ?? s)])];
    if (m.map) labels.sort((a, b) => Object.values(map).indexOf(a) - Object.values(map).indexOf(b));
    resolved = {
      kind: 'grant',
      label: `Status för medel ${m.grant.program}`,
      options: labels.map((l) => ({ value: l, label: GRANT_STATUS_LABELS[l] ?? l })),
    };
    periods = (def.years ?? [m.grant.year]).map((y) => ({ key: String(y), label: String(y), year: y }));
    for (const p of periods) await requireGrantData(db, m.grant.program, p.year!);
    sourceParts.push(`medelsregistret (${m.grant.program})`);
  } else {
    const ids = def.surveys ?? [m.survey];
    const infos = [];
    for (const id of ids) {
      const audience = getSurvey(id)?.meta.audience;
      if (audience === 'person' && !respondents)
        throw new ComparisonError(`Survey "${id}" is answered by persons: use population { "kind": "respondents" }`, `Enkäten "${id}" besvaras av personer: välj populationen svarande`);
      infos.push({ id, ...(await resolveQuestion(id, m.question, 'measure')) });
    }
    resolved = infos[infos.length - 1];
    for (const info of infos) if (info.kind !== resolved.kind)
      throw new ComparisonError(`Question "${m.question}" changes type between surveys`, `Frågan "${m.question}" har olika typ i enkäterna`);
    // Later versions may add choices: the value list is the union, in first-seen order.
    const seen = new Map<string, string>();
    for (const info of infos) for (const o of info.options) if (!seen.has(o.value)) seen.set(o.value, o.label);
    // A `chose` base leaves "none" out of the values; a map merges values into shown categories.
    const outside = m.base === 'chose' ? [NONE_VALUE] : [];
    const merged = new Map<string, string>();
    for (const [value, label] of seen) if (!outside.includes(value)) merged.set(m.map?.[value] ?? value, m.map?.[value] ?? label);
    resolved = { ...resolved, options: [...merged].map(([value, label]) => ({ value, label })) };
    periods = infos.map((i) => ({ key: i.id, label: String((i.id.match(/(\d{4})$/) ?? [])[1] ?? i.id), surveyId: i.id, year: getSurvey(i.id)?.meta.year }));
    sourceParts = [...new Set(infos.map((i) => i.surveyTitle))];
    for (const p of periods) {
      const any = await db.selectFrom('answer_values').select('question').where('survey_id', '=', p.surveyId!).where('question', '=', m.question).limit(1).executeTakeFirst();
      if (!any) p.noData = true;
    }
    if (periods.every((p) => p.noData)) {
      const ids = periods.map((p) => p.surveyId).join('", "');
      throw new ComparisonError(`No submitted answers to "${m.question}" in survey "${ids}"`, `Det finns inga inskickade svar på frågan "${m.question}" i enkäten "${ids}"`);
    }
  }

  // --- How members are grouped ---
  let groupExpr: RawBuilder<unknown> = sql`null`;
  let groupJoin: RawBuilder<unknown> = sql``;
  let grouping: ComparisonResult['grouping'] = { kind: 'none', label: 'Riket' };
  let labelOf: (key: string) => { key: string; label: string } = (k) => ({ key: k, label: k });
  let order: string[] = [];
  let fastGrouping: FastGrouping = { kind: 'none' };
  if (g && 'grant' in g) {
    fastGrouping = { kind: 'grant', program: g.grant.program, year: g.grant.year };
    await requireGrantData(db, g.grant.program, g.grant.year);
    groupExpr = sql`gg.status`;
    groupJoin = sql`left join grants gg on gg.organisation_id = o.id and gg.program = ${g.grant.program} and gg.year = ${g.grant.year}`;
    grouping = { kind: 'grant', label: `Medel ${g.grant.program} ${g.grant.year}` };
    const map = g.map ?? {};
    labelOf = (s) => (map[s] ? { key: map[s], label: map[s] } : { key: s, label: GRANT_STATUS_LABELS[s] ?? s });
    // Groups appear in the order the map names them (e.g. "Använt" before "Inte använt").
    order = [...new Set([...Object.values(map), ...GRANT_STATUSES.map((s) => labelOf(s).key)])];
    sourceParts.push(`medelsregistret (${g.grant.program} ${g.grant.year})`);
  } else if (g && 'attribute' in g) {
    grouping = { kind: 'attribute', label: ATTRIBUTE_LABELS[g.attribute] };
    fastGrouping = { kind: 'attribute', attribute: g.attribute };
    if (g.attribute === 'sizeClass') {
      groupExpr = sizeClassSql();
      labelOf = (k) => ({ key: k, label: SIZE_CLASSES.find((c) => c.key === k)?.label ?? k });
      order = SIZE_CLASSES.map((c) => c.key);
    } else if (g.attribute === 'lan') {
      groupExpr = sql`o.lan_code`;
      const names = new Map((await db.selectFrom('lan').select(['code', 'name']).execute()).map((l) => [l.code, l.name]));
      labelOf = (k) => ({ key: k, label: names.get(k) ?? k });
    } else {
      const col = g.attribute === 'kommungrupp2017' ? 'kommungrupp2017' : 'kommungrupp2023';
      groupExpr = sql.ref(`o.${col}_code`);
      const names = new Map(
        (await db.selectFrom('organisations').select([`${col}_code as code`, `${col}_name as name`]).distinct().execute()).map(
          (r) => [r.code as string, r.name as string],
        ),
      );
      labelOf = (k) => ({ key: k, label: names.get(k) ? `${k} ${names.get(k)}` : k });
    }
  } else if (g && 'question' in g) {
    const q = await resolveQuestion(g.question.survey, g.question.question, 'groupBy');
    const map = g.map ?? {};
    groupExpr = sql`gq.value`;
    groupJoin = respondents
      ? sql`left join answer_values gq on gq.response_id = rs.id and gq.question = ${g.question.question}`
      : sql`left join answer_values gq on gq.organisation_id = o.id and gq.survey_id = ${g.question.survey} and gq.question = ${g.question.question}`;
    grouping = { kind: 'question', label: q.label };
    labelOf = (v) => (map[v] ? { key: map[v], label: map[v] } : { key: v, label: q.options.find((o) => o.value === v)?.label ?? v });
    order = q.options.map((o) => labelOf(o.value).key);
  }

  // --- Per period: aggregate in SQL, assemble in JS ---
  const results: PeriodResult[] = [];
  const fast = options.path !== 'general' && fastPathApplies(def, resolved.kind) && (await organisationCountIsSmall(db));
  for (const period of periods) {
    const rows =
      fast && 'survey' in m
        ? await aggregateFast(db, def, period.surveyId!, m.question, fastGrouping, resolved.kind)
        : await aggregate(db, def, period, groupExpr, groupJoin, resolved.kind);
    const valueOf = (raw: string) => m.map?.[raw] ?? raw;
    const period_ = assemble(rows, resolved, valueOf, labelOf, order, {
      suppressBelow: policy.suppressBelow,
      precision: policy.precision,
      grouped: grouping.kind !== 'none',
      outsideBase: 'survey' in m && m.base === 'chose' ? new Set([NONE_VALUE]) : undefined,
    });
    results.push({ ...period_, key: period.key, label: period.label, ...(period.noData ? { noData: true } : {}) });
  }
  if (grouping.kind !== 'none' && results.every((r) => r.groups.every((x) => x.key === MISSING_KEY)))
    throw new ComparisonError('The grouping has no data for this population', 'Uppdelningen saknar uppgifter för populationen');
  const last = results[results.length - 1];
  const measureValueKeys = resolved.options.map((o) => o.value);
  // Values seen in the data but not among the options (e.g. "other") are listed after them.
  const extra = [...new Set(results.flatMap((r) => Object.keys(r.total.counts)))].filter((k) => !measureValueKeys.includes(k));
  const lastSurvey = periods[periods.length - 1].surveyId;
  const jointMembers = lastSurvey && !respondents ? await countJointMembers(db, lastSurvey) : 0;
  const valueKeys = [...resolved.options.map((o) => o.value), ...extra];
  const change = results.length > 1 && resolved.kind !== 'numeric' ? trendChange(results, valueKeys, policy.precision) : undefined;
  return {
    title: def.title,
    description: def.description,
    source: def.source ?? sourceParts.join(' och '),
    note: NOTE_EN,
    measure: { kind: resolved.kind === 'boolean' ? 'single' : resolved.kind, label: resolved.label },
    grouping,
    values: [...resolved.options.map((o) => ({ key: o.value, label: o.label })), ...extra.map((k) => ({ key: k, label: k }))],
    groups: last.groups,
    total: last.total,
    test: last.test,
    periods: results.length > 1 ? results : undefined,
    chartValues: def.chartValues,
    suppressBelow: policy.suppressBelow,
    precision: policy.precision,
    policy: resolved.kind === 'numeric' && jointMembers > 0 ? withJointAmounts(policy, respondents) : policy,
    ...(change ? { change } : {}),
    population: def.population.kind,
    ...(jointMembers > 0 ? { jointMembers } : {}),
  };
}

/**
 * Suppression follows the unit: organisations are public bodies, so none by default; surveys
 * answered by persons get PERSON_SUPPRESS_BELOW. Percentages are whole by default for
 * organisations (as ÖJ publishes kommun figures), one decimal for persons.
 */
export function resolvePolicy(def: ComparisonDefinition, persons: boolean): FigurePolicy {
  const base = 'survey' in def.measure ? def.measure.base : undefined;
  const p: Omit<FigurePolicy, 'notes'> = {
    suppressBelow: def.suppressBelow ?? (persons ? PERSON_SUPPRESS_BELOW : 0),
    suppressionSource: def.suppressBelow !== undefined ? 'definition' : persons ? 'persons' : 'organisations',
    precision: def.precision ?? (persons ? 1 : 0),
    ...(base ? { base } : {}),
    ...(def.provisionalYears ? { provisionalYears: def.provisionalYears } : {}),
  };
  return { ...p, notes: describePolicy(p, persons ? 'persons' : 'organisations') };
}

function withJointAmounts(policy: FigurePolicy, persons: boolean): FigurePolicy {
  const p = { ...policy, jointAmounts: 'once' as const };
  return { ...p, notes: describePolicy(p, persons ? 'persons' : 'organisations') };
}

async function requireGrantData(db: Kysely<Database>, program: string, year: number) {
  const row = await db.selectFrom('grants').select('id').where('program', '=', program).where('year', '=', year).limit(1).executeTakeFirst();
  if (!row) throw new ComparisonError(`No grant data for program "${program}" in ${year}`, `Det finns inga uppgifter om medel "${program}" för ${year}`);
}
