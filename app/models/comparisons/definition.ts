import { z } from 'zod';
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

export const measureSchema = z.union(
  [surveyQuestion, z.strictObject({ grant: grantRef, map: valueMap.optional() })],
  { error: () => 'must be { survey, question } or { grant: { program, year } }' },
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
    population: z.strictObject({ kind: z.enum(POPULATION_KINDS) }).default({ kind: 'kommun' }),
    measure: measureSchema,
    groupBy: groupBySchema.optional(),
    /** A trend over grant years (grant measures). */
    years: z.array(z.number().int().min(1990).max(2100)).min(1).max(20).optional(),
    /** A trend over survey versions, e.g. a family over years (survey measures). */
    surveys: z.array(key).min(1).max(20).optional(),
    /** Which answer values the chart shows (all by default), e.g. ["ja"]. */
    chartValues: z.array(z.string()).optional(),
    suppressBelow: z.number().int().min(0).max(100).default(0),
  })
  .refine((d) => !(d.years && !('grant' in d.measure)), { message: 'years needs a grant measure', path: ['years'] })
  .refine((d) => !(d.surveys && !('survey' in d.measure)), { message: 'surveys needs a survey measure', path: ['surveys'] });

export type ComparisonDefinition = z.output<typeof definitionSchema>;
export type ComparisonDefinitionInput = z.input<typeof definitionSchema>;

/** English, one line per problem, e.g. "groupBy.attribute: Invalid option: …". */
export function definitionIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}
