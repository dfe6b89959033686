import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '~/models/auth/audit.server';
import { ApiTokenError, authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from '~/models/auth/api-tokens.server';
import * as keys from '~/routes/konto.api-nycklar';
import * as responses from '~/routes/api.v1.rounds.$id.responses';
import * as surveys from '~/routes/api.v1.surveys';
import { setDb } from '~/utils/db.server';
import { sha256 } from '~/utils/session.server';
import { signedIn } from '../auth/helpers';
import { statusFixture } from '../admin/fixtures';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { api, withToken } from './helpers';

describe('API tokens', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
  });
  afterEach(async () => t.destroy());

  it('a created token is shown once, stored only as SHA-256, and authorises the API', async () => {
    const admin = await withToken(t.db, 'admin');
    expect(admin.token).toMatch(/^enk_[A-Za-z0-9_-]{43}$/);
    const rows = await t.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(admin.token));
    expect(JSON.stringify(rows)).not.toContain(admin.token);
    expect(rows[0].prefix).toBe(admin.token.slice(0, 12));
    expect(Object.keys((await listApiTokens(t.db, admin.user.id))[0])).not.toContain('token_hash');
    const res = await api(surveys.loader, '/api/v1/surveys', { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect((await t.db.selectFrom('api_tokens').select('last_used_at').executeTakeFirstOrThrow()).last_used_at).not.toBeNull();
  });

  it('missing, wrong, malformed and revoked tokens get 401 with the JSON error shape; a cookie session alone is not enough', async () => {
    const admin = await withToken(t.db, 'admin');
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      cookieOnly: admin.headers,
      wrong: { Authorization: `Bearer enk_${'A'.repeat(43)}` },
      malformed: { Authorization: 'Bearer nonsense' },
      basic: { Authorization: `Basic ${admin.token}` },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await api(surveys.loader, '/api/v1/surveys', { headers });
      expect(res.status, name).toBe(401);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.message).toMatch(/token/i);
    }
    const [row] = await listApiTokens(t.db, admin.user.id);
    expect(await revokeApiToken(t.db, admin.user.id, row.id)).toBe(true);
    expect(await revokeApiToken(t.db, admin.user.id, row.id)).toBe(false);
    expect((await api(surveys.loader, '/api/v1/surveys', { headers: admin.auth })).status).toBe(401);
    const log = await listAudit(t.db, { entity: 'api_token' });
    expect(log.map((e) => e.action)).toEqual(['api_token.revoke', 'api_token.create']);
  });

  it('a deactivated user’s token stops working; another user cannot revoke it', async () => {
    const admin = await withToken(t.db, 'admin');
    const other = await signedIn(t.db, 'admin');
    const [row] = await listApiTokens(t.db, admin.user.id);
    expect(await revokeApiToken(t.db, other.user.id, row.id)).toBe(false);
    expect(await authenticateApiToken(t.db, `Bearer ${admin.token}`)).toMatchObject({ id: admin.user.id });
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', admin.user.id).execute();
    expect(await authenticateApiToken(t.db, `Bearer ${admin.token}`)).toBeNull();
  });

  it('last_used_at is written at most once a minute', async () => {
    const admin = await withToken(t.db, 'admin');
    const lastUsed = async () => (await t.db.selectFrom('api_tokens').select('last_used_at').executeTakeFirstOrThrow()).last_used_at;
    const start = new Date('2026-11-22T08:00:00.000Z');
    await authenticateApiToken(t.db, `Bearer ${admin.token}`, start);
    expect(await lastUsed()).toBe(start.toISOString());
    await authenticateApiToken(t.db, `Bearer ${admin.token}`, new Date(start.getTime() + 59_000));
    expect(await lastUsed()).toBe(start.toISOString());
    await authenticateApiToken(t.db, `Bearer ${admin.token}`, new Date(start.getTime() + 61_000));
    expect(await lastUsed()).toBe(new Date(start.getTime() + 61_000).toISOString());
  });

  it('role limits: an evaluator gets 403 on responses; respondents cannot create tokens', async () => {
    const round = await statusFixture(t.db);
    const evaluator = await withToken(t.db, 'evaluator');
    const res = await api(responses.loader, `/api/v1/rounds/${round.id}/responses`, { params: { id: String(round.id) }, headers: evaluator.auth });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    const respondent = await signedIn(t.db, 'respondent');
    await expect(createApiToken(t.db, respondent.user, 'x')).rejects.toBeInstanceOf(ApiTokenError);
    const page = (await callLoader(keys.loader, '/konto/api-nycklar', { headers: respondent.headers })) as Response;
    expect(page.status).toBe(403);
    const post = (await callAction(keys.action, '/konto/api-nycklar', { headers: respondent.headers, form: { csrf: respondent.csrf, intent: 'create', name: 'x' } })) as Response;
    expect(post.status).toBe(403);
    expect(await t.db.selectFrom('api_tokens').selectAll().execute()).toHaveLength(1);
  });

  it('the /konto/api-nycklar page creates (token shown once), lists and revokes, with CSRF', async () => {
    const evaluator = await signedIn(t.db, 'evaluator');
    const noCsrf = (await callAction(keys.action, '/konto/api-nycklar', { headers: evaluator.headers, form: { intent: 'create', name: 'R' } })) as Response;
    expect(noCsrf.status).toBe(403);
    const empty = (await callAction(keys.action, '/konto/api-nycklar', { headers: evaluator.headers, form: { csrf: evaluator.csrf, intent: 'create', name: ' ' } })) as Response;
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: 'Ge nyckeln ett namn.' });

    const created = (await callAction(keys.action, '/konto/api-nycklar', { headers: evaluator.headers, form: { csrf: evaluator.csrf, intent: 'create', name: 'R-skript' } })) as Response;
    expect(created.headers.get('Cache-Control')).toBe('no-store');
    const { created: shown } = (await created.json()) as { created: { name: string; token: string } };
    expect(shown.name).toBe('R-skript');
    expect((await api(surveys.loader, '/api/v1/surveys', { headers: { Authorization: `Bearer ${shown.token}` } })).status).toBe(200);

    const listed = (await callLoader(keys.loader, '/konto/api-nycklar', { headers: evaluator.headers })) as Awaited<ReturnType<typeof keys.loader>>;
    expect(JSON.stringify(listed)).not.toContain(shown.token);
    expect(listed.tokens).toMatchObject([{ name: 'R-skript', prefix: shown.token.slice(0, 12), revoked: null }]);

    const revoked = (await callAction(keys.action, '/konto/api-nycklar', { headers: evaluator.headers, form: { csrf: evaluator.csrf, intent: 'revoke', id: String(listed.tokens[0].id) } })) as Response;
    expect(await revoked.json()).toEqual({ revoked: true });
    expect((await api(surveys.loader, '/api/v1/surveys', { headers: { Authorization: `Bearer ${shown.token}` } })).status).toBe(401);
  });
});
