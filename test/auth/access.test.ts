import fs from 'node:fs';
import path from 'node:path';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { signedIn, type TestSession } from './helpers';

/**
 * Every admin route, found on disk, so routes added later are covered without editing this
 * test: respondents and evaluators get 403 from each loader and action, even with a valid CSRF
 * token; visitors who are not signed in are sent to the sign-in page.
 */
const ROUTES_DIR = path.resolve(import.meta.dirname, '../../app/routes');
const adminRoutes = fs
  .readdirSync(ROUTES_DIR)
  .filter((f) => /^admin[._]/.test(f) && /\.(ts|tsx)$/.test(f) && !/\.test\./.test(f))
  .sort();

interface RouteModule {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
}

/** URL and params for a route file: `admin.omgangar.$id.tsx` → /admin/omgangar/1, { id: '1' }. */
function urlOf(file: string) {
  const segments = file
    .replace(/\.(ts|tsx)$/, '')
    .split('.')
    .filter((s) => s !== '_index')
    .map((s) => s.replace(/_$/, ''));
  const params: Record<string, string> = {};
  const url = `/${segments.map((s) => (s.startsWith('$') ? ((params[s.slice(1)] = '1'), '1') : s)).join('/')}`;
  return { url, params };
}

describe('access to admin routes', () => {
  let t: TestDb;
  let users: Record<'respondent' | 'evaluator' | 'admin', TestSession>;
  const modules = new Map<string, RouteModule>();

  beforeAll(async () => {
    t = await freshDb();
    setDb(t.db);
    users = {
      respondent: await signedIn(t.db, 'respondent'),
      evaluator: await signedIn(t.db, 'evaluator'),
      admin: await signedIn(t.db, 'admin'),
    };
    for (const file of adminRoutes) modules.set(file, (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule);
  });
  afterAll(async () => t?.destroy());

  it('finds the admin routes, including the outbox', () => {
    expect(adminRoutes).toContain('admin.utkorg.tsx');
    expect(adminRoutes.length).toBeGreaterThanOrEqual(2);
  });

  it('every admin route that has a loader or action checks the role', () => {
    // A layout with neither is fine; anything with data must be protected, and the test below checks it is.
    const withData = adminRoutes.filter((f) => modules.get(f)!.loader || modules.get(f)!.action);
    expect(withData.length).toBeGreaterThanOrEqual(1);
  });

  for (const role of ['respondent', 'evaluator'] as const) {
    it(`${role}: 403 on every admin loader and action`, async () => {
      const problems: string[] = [];
      for (const file of adminRoutes) {
        const mod = modules.get(file)!;
        const { url, params } = urlOf(file);
        const s = users[role];
        if (mod.loader) {
          const res = await callLoader(mod.loader, url, { params, headers: s.headers });
          const status = res instanceof Response ? res.status : 200;
          if (status !== 403) problems.push(`${file} loader: ${status}`);
        }
        if (mod.action) {
          for (const intent of [undefined, 'delete', 'create', 'extend', 'close', 'reopen', 'requeue']) {
            const form: Record<string, string> = { csrf: s.csrf, ...(intent ? { intent } : {}) };
            const res = await callAction(mod.action, url, { params, headers: s.headers, form });
            const status = res instanceof Response ? res.status : 200;
            if (status !== 403) problems.push(`${file} action (intent=${intent}): ${status}`);
          }
        }
      }
      expect(problems).toEqual([]);
      // And nothing changed: no audit entries, no messages.
      expect(await t.db.selectFrom('audit_log').select('action').where('action', 'not in', ['user.signin']).execute()).toEqual([]);
      expect(await t.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    });
  }

  it('not signed in: every admin loader and action redirects to /logga-in', async () => {
    const problems: string[] = [];
    for (const file of adminRoutes) {
      const mod = modules.get(file)!;
      const { url, params } = urlOf(file);
      for (const [kind, fn] of [
        ['loader', mod.loader],
        ['action', mod.action],
      ] as const) {
        if (!fn) continue;
        const res =
          kind === 'loader'
            ? await callLoader(fn as RouteModule['loader'] & object, url, { params })
            : await callAction(fn as RouteModule['action'] & object, url, { params, headers: { Origin: 'http://127.0.0.1' }, form: {} });
        const location = res instanceof Response ? res.headers.get('Location') : null;
        if (!(res instanceof Response) || res.status !== 302 || !location?.startsWith('/logga-in?redirectTo=')) {
          problems.push(`${file} ${kind}: ${res instanceof Response ? `${res.status} ${location}` : 'data'}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('an admin gets the outbox page', async () => {
    const mod = modules.get('admin.utkorg.tsx')!;
    const res = (await callLoader(mod.loader!, '/admin/utkorg', { headers: users.admin.headers })) as Response;
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.messages).toEqual([]);
  });
});
