import { z } from 'zod';
import { ASSIGNMENT_STATUSES } from '../../../db/schema';
import { definitionSchema } from '../comparisons/definition';

/**
 * The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json. The body schemas are
 * written once in zod and turned into JSON Schema (draft 2020-12, which OpenAPI 3.1 uses);
 * test/api/openapi.test.ts checks real responses of every endpoint against this document.
 */

const nullable = <T extends z.ZodType>(s: T) => s.nullable();

const error = z.strictObject({
  error: z.strictObject({
    code: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'payload_too_large', 'unsupported_media_type', 'internal_error']),
    message: z.string(),
    details: z.array(z.string()).optional(),
  }),
});

const pageMeta = z.strictObject({
  limit: z.int(),
  nextCursor: nullable(z.string()),
  next: nullable(z.string()).describe('Path and query of the next page; null on the last page'),
});
const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item), page: pageMeta });

const survey = z.strictObject({
  id: z.string(),
  family: z.string(),
  year: z.int(),
  title: z.string(),
  audience: z.union([z.array(z.string()), z.literal('person')]),
  description: z.string(),
  source: z.string(),
});

const option = z.strictObject({ value: z.string(), label: z.string() });
const codebookEntry = z.strictObject({
  key: z.string(),
  text: z.string(),
  type: z.string(),
  kind: z.enum(['single', 'multiple', 'numeric', 'text', 'boolean', 'matrix', 'computed', 'other']),
  options: nullable(z.array(option)),
  rows: z.array(option).optional(),
  columns: z.array(z.strictObject({ name: z.string(), label: z.string(), kind: z.string(), options: z.array(option).optional() })).optional(),
  page: z.string(),
  surveyId: z.string(),
  required: z.boolean(),
  commentOf: z.string().optional(),
});

const roundBase = {
  id: z.int(),
  surveyId: z.string(),
  title: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  closedAt: nullable(z.string()),
};
const round = z.strictObject({ ...roundBase, assignments: z.int(), submitted: z.int(), rate: z.number().min(0).max(1) });
const rateRow = z.strictObject({
  code: nullable(z.string()),
  name: nullable(z.string()),
  total: z.int(),
  submitted: z.int(),
  started: z.int(),
  rate: z.number().min(0).max(1),
});
const roundDetail = z.strictObject({
  ...roundBase,
  status: z.strictObject({
    overall: rateRow,
    byStatus: z.strictObject(Object.fromEntries(ASSIGNMENT_STATUSES.map((s) => [s, z.int()]))),
    byLan: z.array(rateRow),
    byKommungrupp: z.array(rateRow),
  }),
});

const responseRow = z.strictObject({
  assignmentId: z.int(),
  organisation: nullable(z.strictObject({ code: z.string(), name: z.string() })),
  person: nullable(z.strictObject({ name: nullable(z.string()), email: nullable(z.string()) })),
  status: z.enum(ASSIGNMENT_STATUSES),
  version: nullable(z.int()),
  lastSavedAt: nullable(z.string()),
  submittedAt: nullable(z.string()),
  submittedBy: nullable(z.string()),
  answers: nullable(z.record(z.string(), z.unknown())).describe('The stored answers keyed by question name'),
});

const count = nullable(z.number());
const group = z.strictObject({
  key: z.string(),
  label: z.string(),
  n: z.int(),
  missing: z.int(),
  counts: z.record(z.string(), count),
  percent: z.record(z.string(), count),
  suppressed: z.boolean(),
  answeredPercent: count.optional(),
  excluded: z.int().optional(),
  stats: z.strictObject({ mean: count, median: count, sum: count, count: z.int().optional(), ratio: count.optional(), ratioBase: count.optional() }).optional(),
  money: z.strictObject({ allocated: z.number(), used: z.number(), repaid: z.number(), share: count, provisional: z.boolean() }).optional(),
});
const test = nullable(
  z.strictObject({ method: z.enum(['chi-square', 'fisher-exact']), p: z.number(), statistic: z.number().optional(), df: z.number().optional(), warning: z.string().optional() }),
);
const comparisonResult = z.strictObject({
  title: z.string(),
  description: z.string().optional(),
  source: z.string(),
  note: z.string(),
  measure: z.strictObject({ kind: z.enum(['single', 'multiple', 'numeric', 'grant', 'money']), label: z.string() }),
  grouping: z.strictObject({ kind: z.enum(['none', 'grant', 'attribute', 'question']), label: z.string() }),
  values: z.array(z.strictObject({ key: z.string(), label: z.string() })),
  groups: z.array(group),
  total: group,
  test,
  periods: z.array(z.strictObject({ key: z.string(), label: z.string(), groups: z.array(group), total: group, test, noData: z.boolean().optional() })).optional(),
  grandTotal: group.optional(),
  chartValues: z.array(z.string()).optional(),
  suppressBelow: z.number(),
  precision: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  policy: z.strictObject({
    suppressBelow: z.number(),
    suppressionSource: z.enum(['definition', 'organisations', 'persons']),
    precision: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    base: z.enum(['answered', 'chose']).optional(),
    jointAmounts: z.literal('once').optional(),
    provisionalYears: z.array(z.int()).optional(),
    notes: z.array(z.string()),
  }),
  change: z.strictObject({ from: z.string(), to: z.string(), points: z.record(z.string(), count) }).optional(),
  population: z.string(),
  jointMembers: z.int().optional(),
});

/** The response body schemas by component name; exported for the tests. */
export const API_SCHEMAS = {
  Error: error,
  SurveyPage: pageOf(survey),
  Survey: survey.extend({ codebook: z.array(codebookEntry) }),
  RoundPage: pageOf(round),
  Round: roundDetail,
  ResponsePage: pageOf(responseRow),
  ComparisonResult: comparisonResult,
};

const jsonSchema = (s: z.ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), json('Error', { 400: 'Bad request', 401: 'Missing, wrong or revoked token', 403: 'The role may not use this endpoint', 404: 'Not found', 413: 'Body too large' }[s] ?? 'Error')]));
const limitParams = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  { name: 'cursor', in: 'query', description: 'page.nextCursor of the previous page', schema: { type: 'string' } },
];
const idParam = (type: 'integer' | 'string') => ({ name: 'id', in: 'path', required: true, schema: { type } });
const etagNote = 'Lists carry an ETag; send it back as If-None-Match to get 304 Not Modified when nothing changed.';

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document (built once). */
export function openApiDocument(): Record<string, unknown> {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'Enkätnav API',
      version: '1.0.0',
      description: `Read surveys, rounds and responses and compute comparisons. Authenticate with a personal token from /konto/api-nycklar: "Authorization: Bearer enk_…". Errors are JSON: {"error":{"code","message"}}. ${etagNote}`,
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/surveys': { get: { summary: 'List surveys', parameters: limitParams, responses: { 200: json('SurveyPage', 'A page of surveys'), 304: { description: 'Not modified' }, ...errors(400, 401, 403) } } },
      '/surveys/{id}': { get: { summary: 'A survey with its codebook', parameters: [idParam('string')], responses: { 200: json('Survey', 'The survey'), ...errors(401, 403, 404) } } },
      '/rounds': { get: { summary: 'List rounds with response counts', parameters: limitParams, responses: { 200: json('RoundPage', 'A page of rounds'), 304: { description: 'Not modified' }, ...errors(400, 401, 403) } } },
      '/rounds/{id}': { get: { summary: 'A round and its status: counts and response rates', parameters: [idParam('integer')], responses: { 200: json('Round', 'The round'), ...errors(401, 403, 404) } } },
      '/rounds/{id}/responses': {
        get: {
          summary: 'The responses of a round (administrators only)',
          parameters: [idParam('integer'), ...limitParams],
          responses: { 200: json('ResponsePage', 'A page of assignments with their answers'), 304: { description: 'Not modified' }, ...errors(400, 401, 403, 404) },
        },
      },
      '/comparisons': {
        post: {
          summary: 'Compute a comparison from a definition (as in surveys/comparisons/*.json)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('ComparisonDefinition') } } },
          responses: { 200: json('ComparisonResult', 'The comparison'), ...errors(400, 401, 403, 413) },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token, enk_…' } },
      schemas: {
        ...Object.fromEntries(Object.entries(API_SCHEMAS).map(([name, s]) => [name, jsonSchema(s)])),
        ComparisonDefinition: jsonSchema(definitionSchema, 'input'),
      },
    },
  };
  return cached;
}
