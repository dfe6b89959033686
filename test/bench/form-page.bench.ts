/**
 * Weight and speed of the respondent form page (/svar/<token>) in Chromium, next to a simple
 * page (/organisationer). Uses the existing server build (ENKATNAV_BUILD_DIR honoured); builds
 * nothing. SQLite only: the page's weight and paint do not depend on the database.
 *
 * Per page, LOADS cold loads, each in a new browser context (empty cache), through CDP:
 * - JS bytes: every response whose MIME type is JavaScript, `encodedDataLength` from
 *   Network.loadingFinished (bytes on the wire, response headers included) and the decoded size
 *   (sum of Network.dataReceived.dataLength). Measured twice: with the encodings Chromium
 *   offers by default (the app's compression middleware then answers with Brotli, quality 4)
 *   and with `Accept-Encoding: gzip` only (Network.setExtraHTTPHeaders; Debian's Chromium has no
 *   Network.setAcceptedEncodings), which is the figure the target is about. The
 *   content-encoding of every script over 1 KB is checked.
 * - First contentful paint: performance.getEntriesByType('paint').
 * - Time to interactive, approximated the Lighthouse way from the page's own timeline: the start
 *   of the first 5 s window after FCP with no long task (> 50 ms, PerformanceObserver 'longtask'
 *   installed before any page script) and at most 2 requests in flight (resource timing
 *   entries); TTI is the end of the last long task before that window, or FCP when there is none.
 *   Differences from Lighthouse: no simulated network (localhost), in-flight counts all
 *   resources, and the window is observed for real (each load waits up to 5 s after the page
 *   settles).
 * CPU throttling ×4 (Emulation.setCPUThrottlingRate) for every load. Figures are medians.
 * The form page is loaded by a returning respondent (name already in localStorage), so the
 * whole survey renders; "first question visible" is when the first SurveyJS question is in the
 * DOM (parsed from the server's HTML, or rendered by the browser) and painted (not before FCP).
 * The page's first byte (responseStart) is reported too, and the paint and TTI figures counted
 * from it: on this 2-core machine the server shares the cores with Chromium starting the page.
 * KB here is 1000 bytes.
 */
import fs from 'node:fs';
import type { Browser, CDPSession } from 'playwright-core';
import { createDb } from '../../db/dialect';
import { createRound } from '../../app/models/rounds/rounds.server';
import { buildBase, dropBase, newBaseLocation, testPostgresUrl } from '../helpers/base-db';
import { launchBrowser, newPage, startApp } from '../e2e/harness';
import { percentile, round, type BenchFigure } from './figure';

const LOADS = 5;
const THROTTLE = 4;
const QUIET_MS = 5000;
const SURVEY = 'aterrapportering-kommun-2018';
const kb = (bytes: number) => round(bytes / 1000, 1);
const median = (values: number[]) => percentile(values, 50);

interface Script {
  url: string;
  wire: number;
  headers: number;
  decoded: number;
  encoding: string;
}

interface Load {
  scripts: Script[];
  fcp: number;
  tti: number;
  formAt: number | null;
  formInHtml: boolean;
  /** responseStart of the page: the server's time, plus Chromium's own start of the request. */
  firstByte: number;
}

// The page-side code is plain JavaScript in strings: tsx would otherwise wrap its functions in a
// `__name` helper that does not exist in the page.

/** Runs in the page before its own scripts: records long tasks and when the form appears. */
const OBSERVERS = `(() => {
  window.__longTasks = [];
  window.__formAt = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // From the start of the document: the parser's insertions are mutations too, so a question in
  // the server's HTML is seen when the parser adds it (at the end of that parsing task), not only
  // once the whole document is parsed (readyState 'interactive', which waits for the inline
  // scripts at the end of the body, and those for every stylesheet).
  const watch = new MutationObserver(() => {
    if (!document.querySelector('.sd-question')) return;
    window.__formAt = performance.now();
    window.__formInHtml = document.readyState === 'loading';
    watch.disconnect();
  });
  watch.observe(document, { childList: true, subtree: true });
})();`;

/**
 * In the page: FCP, the Lighthouse-style TTI once a full quiet window has been observed (else
 * null), and when the form appeared.
 */
const READ_TIMELINE = `((quietMs) => {
  const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime;
  if (fcp === undefined) return null;
  const now = performance.now();
  const requests = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({ start: e.startTime, end: e.responseEnd || now }));
  const tasks = [...window.__longTasks].sort((a, b) => a.start - b.start);
  const inFlightAt = (t) => requests.filter((r) => r.start <= t && r.end > t).length;
  const quiet = (from) => {
    const to = from + quietMs;
    if (tasks.some((t) => t.start < to && t.end > from)) return false;
    // In-flight counts only rise at request starts: check the window start and each start in it.
    return [from, ...requests.map((r) => r.start).filter((s) => s > from && s < to)].every((t) => inFlightAt(t) <= 2);
  };
  const candidates = [fcp, ...tasks.map((t) => t.end).filter((e) => e > fcp)].sort((a, b) => a - b);
  for (const c of candidates) {
    if (c + quietMs > now) return null;
    // Visible: in the DOM and painted (a question parsed before the first paint shows at FCP).
    if (quiet(c)) {
      const nav = performance.getEntriesByType('navigation')[0];
      return { fcp, tti: c, formAt: window.__formAt === null ? null : Math.max(window.__formAt, fcp), formInHtml: Boolean(window.__formInHtml), firstByte: nav.responseStart };
    }
  }
  return null;
})`;

async function coldLoad(browser: Browser, url: string, options: { gzipOnly: boolean; identity: string | null }): Promise<Load> {
  const page = await newPage(browser);
  try {
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    if (options.gzipOnly) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'gzip' } });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    const responses = new Map<string, { url: string; mime: string; encoding: string; headers: number; decoded: number; wire?: number }>();
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      responses.set(e.requestId, { url: e.response.url, mime: e.response.mimeType, encoding: headers['content-encoding'] ?? 'identity', headers: e.response.encodedDataLength, decoded: 0 });
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = responses.get(e.requestId);
      if (r) r.decoded += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = responses.get(e.requestId);
      if (r) r.wire = e.encodedDataLength;
    });
    await page.addInitScript({ content: OBSERVERS });
    if (options.identity) await page.addInitScript({ content: `localStorage.setItem('enkatnav:respondent', ${JSON.stringify(options.identity)});` });
    await page.goto(url, { waitUntil: 'load' });
    let timeline: { fcp: number; tti: number; formAt: number | null; formInHtml: boolean; firstByte: number } | null = null;
    const deadline = Date.now() + 60_000;
    while (!timeline && Date.now() < deadline) {
      await page.waitForTimeout(250);
      timeline = await page.evaluate(`${READ_TIMELINE}(${QUIET_MS})`);
    }
    if (!timeline) throw new Error(`No quiet ${QUIET_MS} ms window within 60 s on ${url}`);
    const scripts = [...responses.values()]
      .filter((r) => /javascript/.test(r.mime) && r.wire !== undefined)
      .map((r) => ({ url: new URL(r.url).pathname, wire: r.wire!, headers: r.headers, decoded: r.decoded, encoding: r.encoding }));
    return { scripts, ...timeline };
  } finally {
    await page.context().close();
  }
}

/** What a chunk holds, guessed from marker strings that survive minification. */
async function contents(scriptUrl: string): Promise<string> {
  const text = await (await fetch(scriptUrl)).text();
  const parts = [
    /survey-react-ui/.test(text) && 'SurveyJS',
    /error-decoder/.test(text) && 'React DOM',
    /__remixContext/.test(text) && 'Remix',
    !/error-decoder/.test(text) && /react\.element/.test(text) && 'React',
    /\/routes\//.test(new URL(scriptUrl).pathname) && 'route',
    /\/root-[^/]*$/.test(scriptUrl) && 'root',
  ].filter(Boolean);
  return parts.length ? parts.join(' + ') : 'app code';
}

async function measure(browser: Browser, label: string, url: string, identity: string | null, jsTarget: boolean): Promise<BenchFigure[]> {
  const gzipLoads: Load[] = [];
  const defaultLoads: Load[] = [];
  // Warm the server (route modules, survey parsing) before timing anything.
  await fetch(url).then((r) => r.arrayBuffer());
  for (let i = 0; i < LOADS; i++) {
    gzipLoads.push(await coldLoad(browser, url, { gzipOnly: true, identity }));
    defaultLoads.push(await coldLoad(browser, url, { gzipOnly: false, identity }));
  }
  const sum = (l: Load, key: 'wire' | 'headers' | 'decoded') => l.scripts.reduce((s, x) => s + x[key], 0);
  const gzipWire = median(gzipLoads.map((l) => sum(l, 'wire')));
  // The compression middleware leaves responses under 1 KB alone.
  const encodings = (loads: Load[]) => [...new Set(loads.flatMap((l) => l.scripts.filter((s) => s.decoded >= 1024).map((s) => s.encoding)))].join(', ');
  if (gzipLoads.some((l) => l.scripts.some((s) => s.decoded >= 1024 && s.encoding !== 'gzip'))) {
    throw new Error(`Scripts on ${label} were not gzipped when only gzip was accepted: ${encodings(gzipLoads)}`);
  }
  const all = [...gzipLoads, ...defaultLoads];
  const fcp = median(all.map((l) => l.fcp));
  const figures: BenchFigure[] = [
    {
      name: `${label}: JS transferred, gzip (${gzipLoads[0].scripts.length} scripts, headers included)`,
      value: kb(gzipWire),
      unit: 'KB',
      ...(jsTarget ? { target: '≤ 400 KB', met: gzipWire <= 400_000 } : {}),
    },
    { name: `${label}: of which response headers`, value: kb(median(gzipLoads.map((l) => sum(l, 'headers')))), unit: 'KB' },
    { name: `${label}: JS transferred with Chromium's default Accept-Encoding (${encodings(defaultLoads)})`, value: kb(median(defaultLoads.map((l) => sum(l, 'wire')))), unit: 'KB' },
    { name: `${label}: JS decoded size`, value: kb(median(gzipLoads.map((l) => sum(l, 'decoded')))), unit: 'KB' },
    { name: `${label}: first contentful paint, CPU ×${THROTTLE}, median of ${all.length} cold loads`, value: round(fcp, 0), unit: 'ms', target: '< 1000 ms', met: fcp < 1000 },
    {
      name: `${label}: time to interactive (Lighthouse-style, 5 s quiet window), CPU ×${THROTTLE}`,
      value: round(median(all.map((l) => l.tti)), 0),
      unit: 'ms',
      ...(identity ? { target: '≤ 1500 ms', met: median(all.map((l) => l.tti)) <= 1500 } : {}),
    },
  ];
  const formTimes = all.map((l) => l.formAt).filter((t): t is number => t !== null);
  if (identity) {
    if (formTimes.length !== all.length) throw new Error(`The survey did not render on ${formTimes.length === 0 ? 'any' : 'every'} load of ${label}`);
    const inHtml = all.filter((l) => l.formInHtml).length;
    figures.push({
      name: `${label}: first question visible (in the DOM and painted; in the server HTML on ${inHtml} of ${all.length} loads), CPU ×${THROTTLE}`,
      value: round(median(formTimes), 0),
      unit: 'ms',
      target: '≤ 1000 ms',
      met: median(formTimes) <= 1000,
    });
  }
  // This machine has 2 cores: while Chromium starts a page, the server (sharing them) answers
  // 2–3 × slower than to a plain fetch. Counted from the first byte, the figures are the page's own.
  const firstByte = median(all.map((l) => l.firstByte));
  figures.push({ name: `${label}: first byte of the page (server time while Chromium shares the 2 cores), median`, value: round(firstByte, 0), unit: 'ms' });
  if (identity) {
    figures.push({ name: `${label}: first question visible, counted from the first byte`, value: round(median(all.map((l) => l.formAt! - l.firstByte)), 0), unit: 'ms' });
    figures.push({ name: `${label}: time to interactive, counted from the first byte`, value: round(median(all.map((l) => l.tti - l.firstByte)), 0), unit: 'ms' });
  }
  if (jsTarget) {
    // Which chunks make up the JS, from the first gzip load (chunk names are content hashes).
    const top = [...gzipLoads[0].scripts].sort((a, b) => b.wire - a.wire).slice(0, 5);
    const described = await Promise.all(top.map(async (s) => `${s.url.replace(/^\/build\//, '')} [${await contents(new URL(s.url, url).href)}] ${kb(s.wire)}/${kb(s.decoded)}`));
    figures.push({ name: `${label}: largest scripts, gzip on the wire / decoded`, value: described.join('; '), unit: 'KB' });
  }
  return figures;
}

export async function run(): Promise<BenchFigure[]> {
  const pgUrl = testPostgresUrl();
  delete process.env.DATABASE_URL;
  const base = newBaseLocation();
  await buildBase(base);
  if (pgUrl) process.env.DATABASE_URL = pgUrl;
  const db = createDb({ dialect: 'sqlite', location: base.sqlitePath });
  let browser: Browser | undefined;
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const org = await db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').orderBy('code').executeTakeFirstOrThrow();
    const day = 86_400_000;
    const created = await createRound(db, {
      surveyId: SURVEY,
      title: 'Bench sidvikt',
      opensAt: new Date(Date.now() - day).toISOString(),
      closesAt: new Date(Date.now() + 30 * day).toISOString(),
      organisationIds: [org.id],
    });
    app = await startApp(`file:${base.sqlitePath}`, { JOBS: 'off' });
    browser = await launchBrowser();
    const identity = JSON.stringify({ name: 'Bench Svarande', email: '' });
    // NUL bytes in the raw HTML (React 18.3.1's stream bug, patched in patches/react-dom+18.3.1.patch).
    const checked = ['/organisationer', '/enkater', `/enkater/${SURVEY}`, `/svar/${created.assignments[0].token}`];
    const withNul = [];
    for (const p of checked) if (Buffer.from(await (await fetch(`${app.url}${p}`)).arrayBuffer()).includes(0)) withNul.push(p);
    return [
      { name: `pages with NUL bytes in the HTML (of ${checked.length}: ${checked.map((p) => p.replace(/[A-Za-z0-9_-]{43}$/, '<token>')).join(', ')})`, value: withNul.length, unit: 'pages', target: '0', met: withNul.length === 0 },
      ...(await measure(browser, `form page /svar (${SURVEY})`, `${app.url}/svar/${created.assignments[0].token}`, identity, true)),
      ...(await measure(browser, 'simple page /organisationer', `${app.url}/organisationer`, null, false)),
    ];
  } finally {
    await browser?.close();
    await app?.stop();
    await db.destroy();
    await dropBase(base);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${base.sqlitePath}${suffix}`, { force: true });
  }
}
