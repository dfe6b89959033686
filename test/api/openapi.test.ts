import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as notFound from '~/routes/api.v1.$';
import * as comparisons from '~/routes/api.v1.comparisons';
import * as openapi from '~/routes/api.v1.openapi[.]json';
import * as round from '~/routes/api.v1.rounds.$id';
import * as responses from '~/routes/api.v1.rounds.$id.responses';
import * as rounds from '~/routes/api.v1.rounds';
import * as survey from '~/routes/api.v1.surveys.$id';
import * as surveys from '~/routes/api.v1.surveys';
import { setDb } from '~/utils/db.server';
import { answerAndSubmit, statusFixture } from '../admin/fixtures';
import { loadFixture } from '../compare/fixtures';
import { freshDb, type TestDb } from '../helpers/db';
import { accessToken } from '~/models/rounds/rounds.server';
import { api, withToken, type Handler } from './helpers';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

/**
 * Checks a real response against the document: the path and method must be described, the
 * status listed, and the body must match the JSON Schema (turned into zod by z.fromJSONSchema).
 */
function checkAgainst(doc: Doc, path: string, method: string, status: number, body: unknown) {
  const op = doc.paths[path]?.[method];
  expect(op, `${method} ${path} is in the document`).toBeDefined();
  const described = op.responses[String(status)];
  expect(described, `${method} ${path} lists ${status}`).toBeDefined();
  const ref = described.content?.['application/json'].schema.$ref;
  expect(ref).toMatch(/^#\/components\/schemas\//);
  const schema = doc.components.schemas[ref!.split('/').pop()!];
  const result = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(body);
  expect(result.success, `${method} ${path} ${status}: ${result.error ? z.prettifyError(result.error) : ''}`).toBe(true);
}

describe('the OpenAPI document describes the real responses', () => {
  let t: TestDb;
  let doc: Doc;
  let roundId: number;
  beforeAll(async () => {
    t = await freshDb();
    setDb(t.db);
    await loadFixture(t);
    const r = await statusFixture(t.db);
    roundId = r.id;
    const a = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.id', 'a.token_nonce']).where('a.round_id', '=', r.id).where('o.code', '=', '0181').executeTakeFirstOrThrow();
    await answerAndSubmit(t.db, accessToken(a));
    const res = await api(openapi.loader as Handler, '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(async () => t.destroy());

  it('is OpenAPI 3.1 and every schema converts', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/comparisons', '/rounds', '/rounds/{id}', '/rounds/{id}/responses', '/surveys', '/surveys/{id}']);
    for (const [name, schema] of Object.entries(doc.components.schemas)) expect(() => z.fromJSONSchema(schema as never), name).not.toThrow();
  });

  it('every endpoint, success and errors, matches its schema', async () => {
    const admin = await withToken(t.db, 'admin');
    const evaluator = await withToken(t.db, 'evaluator');
    const id = String(roundId);
    const calls: [string, string, Handler, string, Record<string, unknown>][] = [
      ['/surveys', 'get', surveys.loader, '/api/v1/surveys?limit=2', { headers: admin.auth }],
      ['/surveys', 'get', surveys.loader, '/api/v1/surveys', { headers: {} }],
      ['/surveys', 'get', surveys.loader, '/api/v1/surveys?limit=-1', { headers: admin.auth }],
      ['/surveys/{id}', 'get', survey.loader, '/api/v1/surveys/oj-vinr-2019', { params: { id: 'oj-vinr-2019' }, headers: evaluator.auth }],
      ['/surveys/{id}', 'get', survey.loader, '/api/v1/surveys/x', { params: { id: 'x' }, headers: evaluator.auth }],
      ['/rounds', 'get', rounds.loader, '/api/v1/rounds', { headers: evaluator.auth }],
      ['/rounds/{id}', 'get', round.loader, `/api/v1/rounds/${id}`, { params: { id }, headers: evaluator.auth }],
      ['/rounds/{id}', 'get', round.loader, '/api/v1/rounds/0', { params: { id: '0' }, headers: evaluator.auth }],
      ['/rounds/{id}/responses', 'get', responses.loader, `/api/v1/rounds/${id}/responses?limit=10`, { params: { id }, headers: admin.auth }],
      ['/rounds/{id}/responses', 'get', responses.loader, `/api/v1/rounds/${id}/responses`, { params: { id }, headers: evaluator.auth }],
      ['/comparisons', 'post', comparisons.action, '/api/v1/comparisons', { headers: evaluator.auth, json: JSON.parse(fs.readFileSync('surveys/comparisons/figur-5-fortbildning.json', 'utf8')) }],
      ['/comparisons', 'post', comparisons.action, '/api/v1/comparisons', { headers: evaluator.auth, json: { title: 1 } }],
    ];
    // Every other definition file too, so periods, numeric stats and attribute groupings are covered.
    for (const f of fs.readdirSync('surveys/comparisons').filter((n) => n.endsWith('.json')))
      calls.push(['/comparisons', 'post', comparisons.action, '/api/v1/comparisons', { headers: evaluator.auth, json: JSON.parse(fs.readFileSync(`surveys/comparisons/${f}`, 'utf8')) }]);
    const statuses = new Set<number>();
    for (const [path, method, handler, url, init] of calls) {
      const res = await api(handler, url, init);
      statuses.add(res.status);
      checkAgainst(doc, path, method, res.status, await res.json());
    }
    expect([...statuses].sort()).toEqual([200, 400, 401, 403, 404]);
    const unknown = await api(notFound.loader, '/api/v1/x');
    expect(z.fromJSONSchema(doc.components.schemas.Error as never).safeParse(await unknown.json()).success).toBe(true);
  });

  it('the check can fail: a body that breaks the schema is refused', () => {
    const schema = z.fromJSONSchema(doc.components.schemas.RoundPage as never);
    expect(schema.safeParse({ data: [{ id: 'one' }], page: { limit: 1, nextCursor: null, next: null } }).success).toBe(false);
    expect(schema.safeParse({ data: [], page: { limit: 1, nextCursor: null, next: null }, extra: 1 }).success).toBe(false);
  });
});
