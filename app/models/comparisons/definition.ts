import { z } from 'zod';
import { GRANT_STATUSES } from '../../../db/tables/analysis';
import { ORGANISATION_KINDS } from '../../../db/tables/organisations';

/**
 * A comparison definition: what to measure, over which population, split by what. Saved in
 * the comparisons table and as files in surveys/comparisons/*.json.
 * @example
 * { "title": "Fortbildning", "population": { "kind": "kommun" },
 *   "measure": { "survey": "oj-vinr-2019", "question": "fortbildning_vuxna" },
 *   "groupBy": { "grant": { "program": "vinr-utvecklingsmedel", "year": 2018 } }, "suppressBelow": 5 }
 */

export const ATTRIBUTES = ['kommungrupp2017', 'kommungrupp2023', 'lan', 'sizeClass'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

const key = z.string().trim().min(1, 'must not be empty').max(100);
const surveyQuestion = z.strictObject({ survey: key, question: key });
const grantRef = z.strictObject({ program: key, year: z.number().int().min(1990).max(2100) });
/** Maps grant statuses (or answer values) to shown labels; values with the same label are merged. */
const valueMap = z.record(z.string(), z.string().trim().min(1).max(100));

/**
 * A survey question. `map` merges answer values into one shown category (e.g. stämmer helt and
 * delvis → "Positiva omdömen"). `base` (multiple choice): `answered` counts everyone who answered,
 * `chose` only those who chose at least one real option (not "inget av alternativen"), as source
 * 003's Tabell 4–5 do. `ratioTo` (numeric): also the ratio of sums, this ÷ that question.
 * `joint` (numeric): amounts of a joint report are counted `once`, at the lead, never copied.
 */
const surveyMeasure = z.strictObject({
  survey: key,
  question: key,
  map: valueMap.optional(),
  base: z.enum(['answered', 'chose']).optional(),
  ratioTo: key.optional(),
});
/** Sums of the ledger's allocated, used and repaid amounts and the share used (ratio of sums). */
const moneyMeasure = z.strictObject({
  money: z.strictObject({
    program: key,
    /** Rows per recipient type (e.g. kommun, region, organisation); the population's kind when absent. */
    recipients: z.array(z.enum(ORGANISATION_KINDS)).min(1).max(ORGANISATION_KINDS.length).optional(),
  }),
});

export const measureSchema = z.union(
  [surveyMeasure, z.strictObject({ grant: grantRef, map: valueMap.optional() }), moneyMeasure],
  { error: () => 'must be { survey, question }, { grant: { program, year } } or { money: { program } }' },
);

export const groupBySchema = z.union(
  [
    z.strictObject({ grant: grantRef, map: valueMap.optional() }),
    z.strictObject({ attribute: z.enum(ATTRIBUTES) }),
    z.strictObject({ question: surveyQuestion, map: valueMap.optional() }),
  ],
  { error: () => `must be { grant: { program, year }, map? }, { attribute: ${ATTRIBUTES.join(' | ')} } or { question: { survey, question } }` },
);

export const POPULATION_KINDS = [...ORGANISATION_KINDS, 'respondents'] as const;

export const definitionSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be empty').max(300),
    description: z.string().max(2000).optional(),
    /** The "Källa:" line; derived from the survey or ledger when absent. */
    source: z.string().max(1000).optional(),
    /** Organisations of one kind, or `respondents`: everyone invited to the survey (person surveys). */
    population: z
      .strictObject({
        kind: z.enum(POPULATION_KINDS),
        /**
         * Only organisations with one of these grant statuses, in the period's year (the survey's
         * year in a trend), e.g. Tabell 3: kommuner that used the funds that year.
         */
        grant: z.strictObject({ program: key, statuses: z.array(z.enum(GRANT_STATUSES)).min(1), year: grantRef.shape.year.optional() }).optional(),
      })
      .default({ kind: 'kommun' }),
    measure: measureSchema,
    groupBy: groupBySchema.optional(),
    /** A trend over grant years (grant measures). */
    years: z.array(z.number().int().min(1990).max(2100)).min(1).max(20).optional(),
    /** A trend over survey versions, e.g. a family over years (survey measures). */
    surveys: z.array(key).min(1).max(20).optional(),
    /** Which answer values the chart shows (all by default), e.g. ["ja"]. */
    chartValues: z.array(z.string()).optional(),
    /**
     * Small-cell suppression threshold. Absent: none for organisation answers (public bodies),
     * PERSON_SUPPRESS_BELOW for surveys answered by persons. The figure states the policy.
     */
    suppressBelow: z.number().int().min(0).max(100).optional(),
    /** Decimals of every percentage, rounded once from the exact ratio; 0 (whole percent) by default for organisations, 1 for persons. */
    precision: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    /** Years whose figures are provisional (still under review), flagged with * in the figure. */
    provisionalYears: z.array(z.number().int().min(1990).max(2100)).max(20).optional(),
  })
  .refine((d) => !(d.years && 'survey' in d.measure), { message: 'years needs a grant or money measure', path: ['years'] })
  .refine((d) => !(d.surveys && !('survey' in d.measure)), { message: 'surveys needs a survey measure', path: ['surveys'] });

/** The default threshold for surveys answered by persons (source 004: 2–3 people per län). */
export const PERSON_SUPPRESS_BELOW = 5;

export type ComparisonDefinition = z.output<typeof definitionSchema>;
export type ComparisonDefinitionInput = z.input<typeof definitionSchema>;

/** English, one line per problem, e.g. "groupBy.attribute: Invalid option: …". */
export function definitionIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}
