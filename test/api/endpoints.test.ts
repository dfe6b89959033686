import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { roundRates } from '~/models/rounds/status.server';
import { createRound } from '~/models/rounds/rounds.server';
import * as notFound from '~/routes/api.v1.$';
import * as comparisons from '~/routes/api.v1.comparisons';
import * as round from '~/routes/api.v1.rounds.$id';
import * as responses from '~/routes/api.v1.rounds.$id.responses';
import * as rounds from '~/routes/api.v1.rounds';
import * as survey from '~/routes/api.v1.surveys.$id';
import * as surveys from '~/routes/api.v1.surveys';
import { setDb } from '~/utils/db.server';
import { answerAndSubmit, OJ_2019_ANSWERS, statusFixture } from '../admin/fixtures';
import { loadFixture } from '../compare/fixtures';
import { freshDb, type TestDb } from '../helpers/db';
import { api, withToken } from './helpers';
import { accessToken } from '~/models/rounds/rounds.server';

type Page<T> = { data: T[]; page: { limit: number; nextCursor: string | null; next: string | null } };
type ErrorBody = { error: { code: string; message: string; details?: string[] } };

describe('API endpoints', () => {
  let t: TestDb;
  let admin: Awaited<ReturnType<typeof withToken>>;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    admin = await withToken(t.db, 'admin');
  });
  afterEach(async () => t.destroy());

  it('rounds: keyset pages follow the next link to the end, without gaps or repeats', async () => {
    for (let i = 1; i <= 5; i++)
      await createRound(t.db, { surveyId: 'oj-vinr-2019', title: `R${i}`, opensAt: '2026-01-01T00:00:00.000Z', closesAt: '2026-03-01T00:00:00.000Z', organisationIds: [] });
    const seen: string[] = [];
    let url: string | null = '/api/v1/rounds?limit=2';
    let pages = 0;
    while (url) {
      const res = await api(rounds.loader, url, { headers: admin.auth });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Page<{ title: string }>;
      seen.push(...body.data.map((r) => r.title));
      url = body.page.next;
      pages++;
    }
    expect(seen).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
    expect(pages).toBe(3);
    const all = (await (await api(surveys.loader, '/api/v1/surveys?limit=500', { headers: admin.auth })).json()) as Page<{ id: string }>;
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const body = (await (await api(surveys.loader, `/api/v1/surveys?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: admin.auth })).json()) as Page<{ id: string }>;
      paged.push(...body.data.map((s) => s.id));
      cursor = body.page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.data.map((s) => s.id));
    expect(all.page.next).toBeNull();
  });

  it('lists carry an ETag; If-None-Match answers 304 until the data change', async () => {
    const res = await api(rounds.loader, '/api/v1/rounds', { headers: admin.auth });
    const etag = res.headers.get('ETag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const again = await api(rounds.loader, '/api/v1/rounds', { headers: { ...admin.auth, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await api(rounds.loader, '/api/v1/rounds', { headers: { ...admin.auth, 'If-None-Match': `W/${etag}` } })).status).toBe(304);
    await createRound(t.db, { surveyId: 'oj-vinr-2019', title: 'Ny', opensAt: '2026-01-01T00:00:00.000Z', closesAt: '2026-03-01T00:00:00.000Z', organisationIds: [] });
    const changed = await api(rounds.loader, '/api/v1/rounds', { headers: { ...admin.auth, 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
  });

  it('round status and responses: counts and rates as the status view, answers as stored', async () => {
    const r = await statusFixture(t.db);
    const params = { id: String(r.id) };
    const detail = (await (await api(round.loader, `/api/v1/rounds/${r.id}`, { params, headers: admin.auth })).json()) as { title: string; status: unknown };
    expect(detail.title).toBe('ÖJ 2019 test');
    expect(detail.status).toEqual(JSON.parse(JSON.stringify(await roundRates(t.db, r.id))));
    expect(detail.status).toMatchObject({ overall: { total: 34, submitted: 4, started: 2 } });

    const submitted = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.id', 'a.token_nonce']).where('a.round_id', '=', r.id).where('o.code', '=', '0181').executeTakeFirstOrThrow();
    await answerAndSubmit(t.db, accessToken(submitted), 'Eva Ek');
    const res = await api(responses.loader, `/api/v1/rounds/${r.id}/responses?limit=500`, { params, headers: admin.auth });
    const body = (await res.json()) as Page<{ organisation: { code: string }; status: string; answers: unknown; submittedBy: string | null; submittedAt: string | null }>;
    expect(body.data).toHaveLength(34);
    const byCode = Object.fromEntries(body.data.map((d) => [d.organisation.code, d]));
    expect(byCode['0181']).toMatchObject({ status: 'submitted', submittedBy: 'Eva Ek', answers: OJ_2019_ANSWERS });
    expect(byCode['0181'].submittedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byCode['0117']).toMatchObject({ status: 'draft', answers: { fortbildning_vuxna: 'ja' }, submittedAt: null });
    expect(byCode['0127']).toMatchObject({ status: 'not_started', answers: null });
  });

  it('a survey comes with its codebook', async () => {
    const res = await api(survey.loader, '/api/v1/surveys/oj-vinr-2019', { params: { id: 'oj-vinr-2019' }, headers: admin.auth });
    const body = (await res.json()) as { id: string; codebook: { key: string; kind: string }[] };
    expect(body.id).toBe('oj-vinr-2019');
    expect(body.codebook.find((e) => e.key === 'fortbildning_vuxna')).toMatchObject({ kind: 'single' });
  });

  it('errors have one JSON shape: 400, 404, 405, 413, 415', async () => {
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/^[\x20-\x7e]+$/); // English, no stack
      expect(body.error.message).not.toMatch(/\n\s+at /);
      return body;
    };
    await expectError(await api(rounds.loader, '/api/v1/rounds?limit=0', { headers: admin.auth }), 400, 'bad_request');
    await expectError(await api(rounds.loader, '/api/v1/rounds?limit=abc', { headers: admin.auth }), 400, 'bad_request');
    await expectError(await api(rounds.loader, '/api/v1/rounds?cursor=%%%', { headers: admin.auth }), 400, 'bad_request');
    await expectError(await api(survey.loader, '/api/v1/surveys/nope', { params: { id: 'nope' }, headers: admin.auth }), 404, 'not_found');
    await expectError(await api(round.loader, '/api/v1/rounds/999', { params: { id: '999' }, headers: admin.auth }), 404, 'not_found');
    await expectError(await api(round.loader, '/api/v1/rounds/x', { params: { id: 'x' }, headers: admin.auth }), 404, 'not_found');
    await expectError(await api(responses.loader, '/api/v1/rounds/999/responses', { params: { id: '999' }, headers: admin.auth }), 404, 'not_found');
    await expectError(await api(notFound.loader, '/api/v1/nothing', { headers: admin.auth }), 404, 'not_found');
    const wrongMethod = await api(rounds.action, '/api/v1/rounds', { method: 'POST', headers: admin.auth, json: {} });
    expect(wrongMethod.headers.get('Allow')).toBe('GET');
    await expectError(wrongMethod, 405, 'method_not_allowed');
    await expectError(await api(comparisons.loader, '/api/v1/comparisons', { headers: admin.auth }), 405, 'method_not_allowed');
    const big = JSON.stringify({ title: 'x'.repeat(70 * 1024) });
    await expectError(await api(comparisons.action, '/api/v1/comparisons', { headers: { ...admin.auth, 'Content-Type': 'application/json' }, body: big }), 413, 'payload_too_large');
    await expectError(await api(comparisons.action, '/api/v1/comparisons', { headers: { ...admin.auth, 'Content-Type': 'text/plain' }, body: '{}' }), 415, 'unsupported_media_type');
    await expectError(await api(comparisons.action, '/api/v1/comparisons', { headers: { ...admin.auth, 'Content-Type': 'application/json' }, body: '{oops' }), 400, 'bad_request');
    const bad = await expectError(await api(comparisons.action, '/api/v1/comparisons', { headers: admin.auth, json: { title: 'x' } }), 400, 'bad_request');
    expect(bad.error.message).toBe('Invalid comparison definition.');
    expect(bad.error.details!.length).toBeGreaterThan(0);
    const unknown = await expectError(
      await api(comparisons.action, '/api/v1/comparisons', { headers: admin.auth, json: { title: 'x', source: 'y', population: { kind: 'kommun' }, measure: { survey: 'nope', question: 'q' } } }),
      400,
      'bad_request',
    );
    expect(unknown.error.message).toBe('Unknown survey "nope"');
  });
});

describe('POST /api/v1/comparisons on the published fixture', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb();
    setDb(t.db);
    await loadFixture(t);
  });
  afterAll(async () => t.destroy());

  it('reproduces Figur 5 (fortbildning by use of utvecklingsmedel 2018: 98 % and 67 %) for an evaluator', async () => {
    const evaluator = await withToken(t.db, 'evaluator');
    const definition = JSON.parse(fs.readFileSync('surveys/comparisons/figur-5-fortbildning.json', 'utf8')) as unknown;
    const res = await api(comparisons.action, '/api/v1/comparisons', { headers: evaluator.auth, json: definition });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: { label: string; n: number; counts: Record<string, number> }[]; total: { n: number; missing: number } };
    expect(body.groups.map((g) => [g.label, Math.round((100 * g.counts.ja) / g.n)])).toEqual([
      ['Använt', 98],
      ['Inte använt', 67],
    ]);
    expect(body.total.n + body.total.missing).toBe(290);
    const admin = await withToken(t.db, 'admin');
    expect((await api(comparisons.action, '/api/v1/comparisons', { headers: admin.auth, json: definition })).status).toBe(200);
  });
});
