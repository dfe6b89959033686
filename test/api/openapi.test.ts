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

type Described = { $ref?: string; description?: string; headers?: Record<string, { $ref: string }>; content?: Record<string, { schema: { $ref: string } }> };
type Doc = {
  openapi: string;
  info: { license?: { name: string; identifier?: string } };
  paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string; in: string }[]; responses: Record<string, Described> }>>;
  components: { schemas: Record<string, unknown>; headers: Record<string, { required?: boolean }>; responses: Record<string, Described> };
};

/** Headers the API sets on purpose; each one a response carries must be documented for it. */
const API_HEADERS = ['etag', 'allow', 'www-authenticate', 'cache-control', 'vary'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const resolve = (doc: Doc, d: Described): Described => (d.$ref ? doc.components.responses[d.$ref.split('/').pop()!] : d);

/**
 * Checks a real response against one documented response: the headers it documents as required
 * are there, every API header it carries is documented, and the body matches the JSON Schema
 * (turned into zod by z.fromJSONSchema); a response documented without content has no body.
 */
async function checkResponse(doc: Doc, where: string, described: Described, res: Response) {
  const d = resolve(doc, described);
  const documented = Object.fromEntries(Object.entries(d.headers ?? {}).map(([name, h]) => [name.toLowerCase(), doc.components.headers[h.$ref.split('/').pop()!]]));
  for (const [name, h] of Object.entries(documented)) if (h.required) expect(res.headers.get(name), `${where}: header ${name}`).not.toBeNull();
  for (const name of API_HEADERS) if (res.headers.has(name)) expect(documented[name], `${where}: sends ${name}, which is not documented`).toBeDefined();
  const text = await res.text();
  const ref = d.content?.['application/json'].schema.$ref;
  if (!ref) {
    expect(text, `${where}: documented without a body`).toBe('');
    return;
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const schema = doc.components.schemas[ref.split('/').pop()!];
  const result = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(JSON.parse(text));
  expect(result.success, `${where}: ${result.error ? z.prettifyError(result.error) : ''}`).toBe(true);
}

/** The path and method must be described and the status listed; then the response is checked. */
async function checkAgainst(doc: Doc, path: string, method: string, res: Response) {
  const op = doc.paths[path]?.[method];
  expect(op, `${method} ${path} is in the document`).toBeDefined();
  const described = op.responses[String(res.status)];
  expect(described, `${method} ${path} lists ${res.status}`).toBeDefined();
  await checkResponse(doc, `${method} ${path} ${res.status}`, described, res);
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
    expect(Object.keys(doc.paths).sort()).toEqual(['/comparisons', '/openapi.json', '/rounds', '/rounds/{id}', '/rounds/{id}/responses', '/surveys', '/surveys/{id}']);
    for (const [name, schema] of Object.entries(doc.components.schemas)) expect(() => z.fromJSONSchema(schema as never), name).not.toThrow();
    expect(doc.info.license?.name).toBeTruthy();
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)), 'every operation has an operationId').toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Every GET is conditional: If-None-Match in, 304 out.
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!item.get) continue;
      expect(item.get.parameters?.some((p) => p.in === 'header' && p.name === 'If-None-Match'), `GET ${path} takes If-None-Match`).toBe(true);
      expect(item.get.responses['304'], `GET ${path} lists 304`).toBeDefined();
    }
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
    calls.push(
      ['/comparisons', 'post', comparisons.action, '/api/v1/comparisons', { headers: { ...evaluator.auth, 'Content-Type': 'text/plain' }, body: '{}' }],
      ['/openapi.json', 'get', openapi.loader, '/api/v1/openapi.json', {}],
    );
    const statuses = new Set<number>();
    for (const [path, method, handler, url, init] of calls) {
      const res = await api(handler, url, init);
      statuses.add(res.status);
      await checkAgainst(doc, path, method, res);
      // The same GET again with its ETag: 304, as documented, with no body.
      const etag = res.headers.get('ETag');
      if (method === 'get' && res.status === 200) {
        expect(etag, `GET ${path} sends an ETag`).toMatch(/^"[^"]+"$/);
        const again = await api(handler, url, { ...init, headers: { ...(init.headers as Record<string, string>), 'If-None-Match': etag! } });
        expect(again.status).toBe(304);
        statuses.add(304);
        await checkAgainst(doc, path, method, again);
      }
    }
    expect([...statuses].sort()).toEqual([200, 304, 400, 401, 403, 404, 415]);
  });

  it('methods a path does not list answer 405 with Allow naming the listed ones', async () => {
    const admin = await withToken(t.db, 'admin');
    const id = String(roundId);
    const routes: [string, Record<string, Handler>, Record<string, string>][] = [
      ['/surveys', surveys, {}],
      ['/surveys/{id}', survey, { id: 'oj-vinr-2019' }],
      ['/rounds', rounds, {}],
      ['/rounds/{id}', round, { id }],
      ['/rounds/{id}/responses', responses, { id }],
      ['/comparisons', comparisons, {}],
      ['/openapi.json', openapi, {}],
    ];
    for (const [path, module, params] of routes) {
      const listed = Object.keys(doc.paths[path]).filter((m) => METHODS.includes(m));
      const url = `/api/v1${path.replace('{id}', params.id ?? '')}`;
      for (const method of METHODS.filter((m) => !listed.includes(m))) {
        // Remix sends GET to the loader and every other method to the action.
        const handler = method === 'get' ? module.loader : module.action;
        const res = await api(handler, url, { params, method: method.toUpperCase(), headers: admin.auth, ...(method === 'get' ? {} : { json: {} }) });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('Allow')).toBe(listed.map((m) => m.toUpperCase()).join(', '));
        await checkResponse(doc, `${method} ${path} 405`, doc.components.responses.MethodNotAllowed, res);
      }
    }
  });

  it('an unknown path answers the documented 404, for any method', async () => {
    for (const [handler, method] of [[notFound.loader, 'GET'], [notFound.action, 'POST'], [notFound.action, 'DELETE']] as const) {
      const res = await api(handler as Handler, '/api/v1/finns-inte', { method });
      expect(res.status).toBe(404);
      await checkResponse(doc, `${method} unknown path`, doc.components.responses.UnknownPath, res);
    }
  });

  it('the check can fail: a body that breaks the schema is refused', () => {
    const schema = z.fromJSONSchema(doc.components.schemas.RoundPage as never);
    expect(schema.safeParse({ data: [{ id: 'one' }], page: { limit: 1, nextCursor: null, next: null } }).success).toBe(false);
    expect(schema.safeParse({ data: [], page: { limit: 1, nextCursor: null, next: null }, extra: 1 }).success).toBe(false);
  });
});
