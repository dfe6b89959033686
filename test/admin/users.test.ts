import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken, authenticateApiToken } from '~/models/auth/api-tokens.server';
import { listAudit } from '~/models/auth/audit.server';
import * as usersRoute from '~/routes/admin.anvandare';
import * as logRoute from '~/routes/admin.logg';
import { setDb } from '~/utils/db.server';
import { getSessionUser } from '~/utils/session.server';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';

describe('/admin/anvandare and /admin/logg', () => {
  let t: TestDb;
  let admin: TestSession;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    admin = await signedIn(t.db, 'admin', { email: 'admin@myndighet.se' });
  });
  afterEach(async () => t.destroy());

  async function post(form: Record<string, string>, session = admin) {
    const body = new FormData();
    for (const [k, v] of Object.entries({ csrf: session.csrf, ...form })) body.append(k, v);
    const res = (await callAction(usersRoute.action, '/admin/anvandare', { headers: session.headers, body })) as Response;
    return { status: res.status, data: (await res.json()) as { ok: boolean; message: string; fields?: Record<string, string> } };
  }

  it('adds users with a clear Swedish message for each bad field, and logs each addition', async () => {
    const added = await post({ intent: 'add', email: ' Eva@Myndighet.se ', name: 'Eva', role: 'evaluator' });
    expect(added).toMatchObject({ status: 200, data: { ok: true } });
    const respondent = await post({ intent: 'add', email: 'kim@norrtalje.se', role: 'respondent', org: '0188' });
    expect(respondent.status).toBe(200);

    const bad = await post({ intent: 'add', email: 'not-an-address', role: 'boss', org: '9999' });
    expect(bad.status).toBe(400);
    expect(bad.data.fields).toEqual({ email: expect.stringMatching(/giltig e-postadress/), role: 'Välj en roll.' });
    expect((await post({ intent: 'add', email: 'x@kommun.se', role: 'respondent' })).data.fields).toEqual({ org: expect.stringMatching(/måste höra till en organisation/) });
    expect((await post({ intent: 'add', email: 'x@kommun.se', role: 'respondent', org: '9999' })).data.fields).toEqual({ org: 'Ingen organisation har koden 9999.' });
    const taken = await post({ intent: 'add', email: 'eva@myndighet.se', role: 'admin' });
    expect(taken).toMatchObject({ status: 409, data: { fields: { email: expect.stringMatching(/finns redan/) } } });

    const list = (await callLoader(usersRoute.loader, '/admin/anvandare', { headers: admin.headers })) as Response;
    const data = (await list.json()) as { users: { email: string; role: string; organisation: string | null; active: boolean }[] };
    expect(data.users.map((u) => [u.email, u.role, u.organisation])).toEqual([
      ['admin@myndighet.se', 'admin', null],
      ['eva@myndighet.se', 'evaluator', null],
      ['kim@norrtalje.se', 'respondent', 'Norrtälje (0188)'],
    ]);
    const log = await listAudit(t.db, { action: 'user.add' });
    expect(log.map((e) => [e.actor_email, JSON.parse(e.after!).email])).toEqual([
      ['admin@myndighet.se', 'kim@norrtalje.se'],
      ['admin@myndighet.se', 'eva@myndighet.se'],
    ]);
  });

  it('deactivating a user ends their session and API tokens at once; reactivating restores them', async () => {
    const evaluator = await signedIn(t.db, 'evaluator', { email: 'eva@myndighet.se' });
    const { token } = await createApiToken(t.db, evaluator.user, 'R-skript');
    const request = () => new Request('http://127.0.0.1/jamfor', { headers: evaluator.headers });
    expect(await getSessionUser(t.db, request())).toMatchObject({ id: evaluator.user.id });

    expect(await post({ intent: 'deactivate', id: String(evaluator.user.id) })).toMatchObject({ status: 200, data: { ok: true } });
    expect(await getSessionUser(t.db, request())).toBeNull();
    expect(await authenticateApiToken(t.db, `Bearer ${token}`)).toBeNull();

    expect((await post({ intent: 'activate', id: String(evaluator.user.id) })).status).toBe(200);
    expect(await authenticateApiToken(t.db, `Bearer ${token}`)).toMatchObject({ id: evaluator.user.id });
    expect((await listAudit(t.db, { entity: 'user', entityId: evaluator.user.id })).map((e) => e.action)).toEqual(['user.activate', 'user.deactivate']);
  });

  it('never locks the agency out: no self-deactivation, and the last active admin stays', async () => {
    expect(await post({ intent: 'deactivate', id: String(admin.user.id) })).toMatchObject({ status: 409, data: { message: 'Du kan inte inaktivera dig själv.' } });
    const other = await signedIn(t.db, 'admin', { email: 'other@myndighet.se' });
    // The other admin may deactivate the first while two are active, but then not the last one.
    expect((await post({ intent: 'deactivate', id: String(admin.user.id) }, other)).status).toBe(200);
    const third = await signedIn(t.db, 'admin', { email: 'third@myndighet.se' });
    expect((await post({ intent: 'deactivate', id: String(third.user.id) }, other)).status).toBe(200);
    const lastStanding = await post({ intent: 'deactivate', id: String(other.user.id) }, other);
    expect(lastStanding.status).toBe(409);
    expect(await post({ intent: 'deactivate', id: '99999' }, other)).toMatchObject({ status: 404, data: { message: 'Användaren finns inte.' } });
    expect((await post({ intent: 'promote', id: '1' }, other)).status).toBe(400);
  });

  it('the log page lists entries newest first, filters by action and pages backwards', async () => {
    for (let i = 0; i < 105; i++) await post({ intent: 'add', email: `user${i}@myndighet.se`, role: 'evaluator' });
    await post({ intent: 'deactivate', id: String((await t.db.selectFrom('users').select('id').where('email', '=', 'user3@myndighet.se').executeTakeFirstOrThrow()).id) });
    type Log = { actions: string[]; nextBefore: number | null; entries: { id: number; action: string; actor: string; change: string }[] };
    const load = async (query: string) => (await ((await callLoader(logRoute.loader, `/admin/logg${query}`, { headers: admin.headers })) as Response).json()) as Log;
    const first = await load('');
    expect(first.entries).toHaveLength(100);
    expect(first.entries[0]).toMatchObject({ action: 'user.deactivate', actor: 'admin@myndighet.se', change: 'active: true → false' });
    expect(first.actions).toEqual(['user.add', 'user.deactivate']);
    const second = await load(`?fore=${first.nextBefore}`);
    expect(second.entries).toHaveLength(6);
    expect(second.nextBefore).toBeNull();
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(106);
    expect((await load('?action=user.deactivate')).entries).toHaveLength(1);
    // Nonsense parameters are ignored, not a 500.
    expect((await load('?fore=abc&action=')).entries).toHaveLength(100);

    const respondent = await signedIn(t.db, 'respondent');
    expect(((await callLoader(logRoute.loader, '/admin/logg', { headers: respondent.headers })) as Response).status).toBe(403);
  });
});
