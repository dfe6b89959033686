/**
 * Crawl of every route in the Remix route manifest, as each role, on the demo data (db/seed):
 * the raw HTML has no NUL byte; no console error or warning, no pageerror, no React hydration
 * message; axe (WCAG 2.1 A and AA) finds nothing, at 1280 × 800 and at 390 × 844. Resource
 * routes (JSON, CSV, iCalendar) are requested and must answer below 500.
 *
 * Routes with a parameter get it from a recipe in crawl-routes.ts (one line per route); a
 * parameter route without one fails the crawl by name. One browser, one page per role.
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../db/seed/demo-auth';
import { loadDemoDataIfEmpty } from '../../db/seed/demo';
import { DEMO_RESPONDENT } from '../../db/seed/demo-inbox';
import type { TestDb } from '../helpers/db';
import { DEFAULT_ROLES, RECIPES, ROLES, demoIds, type DemoIds, type Role } from './crawl-routes';
import { E2E_SESSION_SECRET, closeBrowserSuite, newPage, openBrowserSuite, type RunningApp } from './harness';
import { signInAs } from './sign-in';

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}

// The recipes compute HMAC links (unsubscribeToken) in this process: with the app's secret.
process.env.SESSION_SECRET = E2E_SESSION_SECRET;

const ROOT = path.resolve(import.meta.dirname, '../..');
const ASSETS = process.env.ENKATNAV_BUILD_DIR ? path.resolve(ROOT, process.env.ENKATNAV_BUILD_DIR, 'public') : path.join(ROOT, 'public/build');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const HYDRATION = /did not match|Hydration failed|error while hydrating|hydrat/i;

/** The routes of the build's client manifest (window.__remixManifest), as the browser gets it. */
function manifestRoutes(): ManifestRoute[] {
  const file = fs.readdirSync(ASSETS).find((f) => /^manifest-[A-Z0-9]+\.js$/.test(f));
  if (!file) throw new Error(`No Remix manifest in ${ASSETS}: run \`npm run build\` first.`);
  const text = fs.readFileSync(path.join(ASSETS, file), 'utf8');
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  return Object.values((JSON.parse(json) as { routes: Record<string, ManifestRoute> }).routes);
}

interface Target {
  routeId: string;
  url: string;
  roles: readonly Role[];
  status?: number;
}

/** Every route that answers a request (layouts are covered by their children), with its URL. */
function targets(ids: DemoIds): { list: Target[]; missing: string[] } {
  const routes = manifestRoutes();
  const byId = new Map(routes.map((r) => [r.id, r]));
  const list: Target[] = [];
  const missing: string[] = [];
  for (const route of routes) {
    // The root, pathless layouts and layouts with an index child answer at their children's URLs.
    if (route.id === 'root' || (!route.path && !route.index) || routes.some((c) => c.parentId === route.id && c.index)) continue;
    const segments: string[] = [];
    for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? byId.get(r.parentId) : undefined) if (r.path) segments.unshift(r.path);
    const pattern = `/${segments.join('/')}`.replace(/\/+/g, '/');
    const hasParams = /(^|\/)(:|\*)/.test(pattern);
    const recipe = RECIPES[route.id];
    if (hasParams && !recipe) {
      missing.push(`${route.id} (${pattern})`);
      continue;
    }
    const params = recipe?.params(ids) ?? {};
    const url = pattern.replace(/(?<=^|\/):([A-Za-z0-9_]+)|(?<=^|\/)\*$/g, (whole, name: string | undefined) => {
      const value = params[name ?? '*'];
      if (value === undefined) throw new Error(`The crawl recipe for ${route.id} gives no value for ${whole}`);
      return encodeURIComponent(String(value));
    });
    list.push({ routeId: route.id, url, roles: recipe?.roles ?? DEFAULT_ROLES, status: recipe?.status });
  }
  return { list: list.sort((a, b) => a.url.localeCompare(b.url)), missing };
}

async function axeProblems(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${label}: axe ${v.id} (${v.impact}): ${v.help} – ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe('crawl of every route, as every role', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let ids: DemoIds;
  let plan: ReturnType<typeof targets>;
  const crawled = new Map<string, string[]>();

  beforeAll(async () => {
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed: (t) => loadDemoDataIfEmpty(t.db) }));
    ids = await demoIds(t.db);
    plan = targets(ids);
  });
  afterAll(async () => {
    const lines = [...crawled.entries()].map(([role, list]) => `${role}:\n  ${list.join('\n  ')}`);
    if (lines.length) console.log(`Crawled routes:\n${lines.join('\n')}`);
    await closeBrowserSuite({ t, app, browser });
  });

  it('has a parameter recipe for every route with a parameter (add one line to test/e2e/crawl-routes.ts)', () => {
    expect(plan.missing, 'routes with parameters but no recipe in test/e2e/crawl-routes.ts RECIPES').toEqual([]);
    expect(Object.keys(RECIPES).filter((id) => !plan.list.some((t) => t.routeId === id)), 'recipes for routes that are not in the manifest').toEqual([]);
    expect(ROLES.filter((role) => !plan.list.some((t) => t.roles.includes(role))), 'roles that visit nothing').toEqual([]);
  });

  it.each(ROLES)('every page is byte-clean, error-free, hydrates and passes axe as %s', { timeout: 900_000 }, async (role) => {
    const page = await newPage(browser, { viewport: DESKTOP });
    const problems: string[] = [];
    const log: string[] = [];
    page.on('console', (m) => {
      // A page that answers 403 or 404 on purpose: Chromium logs the document's own status.
      if (/^Failed to load resource: the server responded with a status of (403|404)/.test(m.text()) && m.location().url.split('?')[0] === page.url().split('?')[0]) return;
      if (m.type() === 'error' || m.type() === 'warning' || HYDRATION.test(m.text())) log.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    if (role === 'admin') await signInAs(page, app, t, DEMO_USERS[0].email, '/admin');
    if (role === 'evaluator') await signInAs(page, app, t, DEMO_USERS[1].email, '/jamfor');
    if (role === 'respondent-user') await signInAs(page, app, t, DEMO_RESPONDENT.email, '/min-organisation');
    log.length = 0;
    const seen = new Set<string>();
    const list: string[] = [];
    // Signing out last, so the role keeps its session for every other page.
    const mine = plan.list.filter((x) => x.roles.includes(role)).sort((a, b) => Number(a.url === '/logga-ut') - Number(b.url === '/logga-ut'));
    for (const target of mine) {
      const url = `${app.url}${target.url}`;
      const head = await page.request.get(url, { failOnStatusCode: false });
      const type = head.headers()['content-type'] ?? '';
      if (!type.startsWith('text/html')) {
        list.push(`${target.url} → ${head.status()} ${type.split(';')[0]} (resource)`);
        if (head.status() >= 500) problems.push(`${target.url}: ${head.status()} ${(await head.text()).slice(0, 200)}`);
        continue;
      }
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response) throw new Error(`No response for ${url}`);
      await page.waitForFunction(() => 'hydrated' in document.documentElement.dataset || Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
      await page.waitForLoadState('networkidle');
      const landed = new URL(page.url()).pathname;
      list.push(`${target.url} → ${response.status()}${landed !== target.url ? ` ${landed}` : ''}`);
      const label = `${role} ${target.url}${landed !== target.url ? ` (→ ${landed})` : ''}`;
      const html = await response.body();
      if (html.includes(0)) problems.push(`${label}: NUL byte at offset ${html.indexOf(0)} of the HTML`);
      if (response.status() >= 500) problems.push(`${label}: status ${response.status()}`);
      if (target.status !== undefined && response.status() !== target.status) problems.push(`${label}: status ${response.status()}, expected ${target.status}`);
      problems.push(...log.splice(0).map((l) => `${label}: ${l}`));
      const key = `${response.status()} ${landed}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(...(await axeProblems(page, label)));
      await page.setViewportSize(PHONE);
      problems.push(...(await axeProblems(page, `${label} at 390×844`)));
      await page.setViewportSize(DESKTOP);
      problems.push(...log.splice(0).map((l) => `${label}: ${l}`));
    }
    crawled.set(role, list);
    await page.context().close();
    expect(problems).toEqual([]);
  });
});
