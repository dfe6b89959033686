import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The app's SESSION_SECRET in e2e runs; a test that computes HMAC links (unsubscribe) sets it too. */
export const E2E_SESSION_SECRET = 'e2e-test-secret-that-is-long-enough-0123456789';

const BUILD = path.join(process.env.ENKATNAV_BUILD_DIR ? path.resolve(ROOT, process.env.ENKATNAV_BUILD_DIR) : path.join(ROOT, 'build'), 'index.js');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningApp {
  url: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * Starts the built app (`npm run build` first) on a free 127.0.0.1 port against the given
 * database, and waits until /healthz answers.
 */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningApp> {
  if (!fs.existsSync(BUILD)) throw new Error(`No server build at ${BUILD}: run \`npm run build\` first.`);
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, [BUILD], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: E2E_SESSION_SECRET,
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`App exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`App did not become healthy within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    process: child,
    output: () => log,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Debian's Chromium, headless, with the flags this sandbox needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page in its own browser context (axe needs a context, and contexts keep tests apart). */
export async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm', ...options });
  return context.newPage();
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails with a readable list on violations. */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export interface BrowserSuite {
  t: TestDb;
  app: RunningApp;
  browser: Browser;
}

/**
 * The usual end-to-end setup: a fresh file database, `seed` run on it, the built app started on
 * it, and Chromium. Pair with closeBrowserSuite in afterAll.
 * @example beforeAll(async () => ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' } })));
 */
export async function openBrowserSuite(options: { env?: Record<string, string>; seed?: (t: TestDb) => Promise<unknown> } = {}): Promise<BrowserSuite> {
  const t = await freshDb({ file: true });
  await options.seed?.(t);
  const app = await startApp(t.url, options.env);
  const browser = await launchBrowser();
  return { t, app, browser };
}

/** Closes what openBrowserSuite opened, also after a setup that failed half-way. */
export async function closeBrowserSuite(suite: Partial<BrowserSuite>): Promise<void> {
  await suite.browser?.close();
  await suite.app?.stop();
  await suite.t?.destroy();
}
