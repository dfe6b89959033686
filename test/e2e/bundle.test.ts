import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { startApp, type RunningApp } from './harness';

/**
 * Guards the browser bundle of the production build (`npm run build` writes esbuild's metafile):
 * server-only and heavy libraries stay out of it, and SurveyJS loads only on the pages with a form.
 * A module-level `z.object(…)` in a route, for instance, would pull zod (≈ 90 KB gzipped) into
 * every page; bench/results.md measures what the pages transfer.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILD = process.env.ENKATNAV_BUILD_DIR ? path.resolve(ROOT, process.env.ENKATNAV_BUILD_DIR) : path.join(ROOT, 'build');

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports?: { path: string; kind?: string }[]; inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('browser bundle', () => {
  const meta = JSON.parse(fs.readFileSync(path.join(BUILD, 'metafile.js.json'), 'utf8')) as Metafile;
  const scripts = Object.entries(meta.outputs).filter(([out]) => out.endsWith('.js'));
  /** Output files that contain code from a package, e.g. 'zod' or 'survey-core'. */
  const containing = (pkg: string) => scripts.filter(([, o]) => Object.entries(o.inputs).some(([input, i]) => i.bytesInOutput > 0 && input.includes(`node_modules/${pkg}/`))).map(([out]) => out);

  it('holds no server-only or heavy packages', () => {
    for (const pkg of ['zod', 'kysely', 'better-sqlite3', 'pg', 'exceljs', '@observablehq/plot', 'd3-geo', 'linkedom', 'nodemailer', 'pino', 'csv-parse', 'csv-stringify']) {
      expect(containing(pkg), pkg).toEqual([]);
    }
  });

  it('loads SurveyJS only from the routes that show a form', () => {
    const surveyChunks = new Set([...containing('survey-core'), ...containing('survey-react-ui')]);
    expect(surveyChunks.size).toBeGreaterThan(0);
    // Which route entry points reach a SurveyJS chunk through their static imports.
    const reaches = (out: string, seen = new Set<string>()): boolean => {
      if (surveyChunks.has(out)) return true;
      if (seen.has(out)) return false;
      seen.add(out);
      return (meta.outputs[out]?.imports ?? []).some((i) => reaches(i.path, seen));
    };
    const routes = scripts
      .filter(([, o]) => o.entryPoint?.startsWith('browser-route-module:'))
      .filter(([out]) => reaches(out))
      .map(([, o]) => o.entryPoint!.replace(/^browser-route-module:routes\/(.*)\?browser$/, '$1'))
      .sort();
    // The survey preview pages (public and the administrator's draft preview) and the form itself.
    expect(routes).toEqual(['admin.enkater.$id.tsx', 'enkater.$id.tsx', 'svar.$token._index.tsx']);
  });

  it('loads CodeMirror only through import() on the survey editor page, never with the entry, the root or a route', () => {
    const cmChunks = new Set(['codemirror', '@codemirror/view', '@codemirror/state', '@codemirror/lang-json', '@codemirror/lint', '@lezer/common'].flatMap(containing));
    expect(cmChunks.size).toBeGreaterThan(0);
    const staticallyReaches = (out: string, seen = new Set<string>()): boolean => {
      if (cmChunks.has(out)) return true;
      if (seen.has(out)) return false;
      seen.add(out);
      return (meta.outputs[out]?.imports ?? []).some((i) => i.kind !== 'dynamic-import' && staticallyReaches(i.path, seen));
    };
    const entries = scripts.filter(([, o]) => o.entryPoint === 'app/entry.client.tsx' || o.entryPoint?.startsWith('browser-route-module:'));
    expect(entries.map(([, o]) => o.entryPoint)).toEqual(expect.arrayContaining(['app/entry.client.tsx', 'browser-route-module:root.tsx?browser', 'browser-route-module:routes/admin.enkater.$id.tsx?browser']));
    expect(entries.filter(([out]) => staticallyReaches(out)).map(([, o]) => o.entryPoint)).toEqual([]);
    // The one way in: a dynamic import() from the editor page.
    const importers = scripts.filter(([, o]) => (o.imports ?? []).some((i) => i.kind === 'dynamic-import' && staticallyReaches(i.path))).map(([, o]) => o.entryPoint);
    expect(importers).toEqual(['browser-route-module:routes/admin.enkater.$id.tsx?browser']);
  });
});

describe('serving the browser build', () => {
  let t: TestDb;
  let app: RunningApp;
  beforeAll(async () => {
    t = await freshDb({ file: true });
    app = await startApp(t.url, { JOBS: 'off' });
  });
  afterAll(async () => {
    await app?.stop();
    await t?.destroy();
  });

  it('sends the precompressed Brotli or gzip copy the browser accepts, else the file itself', async () => {
    const meta = JSON.parse(fs.readFileSync(path.join(BUILD, 'metafile.js.json'), 'utf8')) as Metafile;
    // The biggest script (SurveyJS), by its path under /build/.
    const [biggest] = Object.keys(meta.outputs)
      .filter((out) => out.endsWith('.js'))
      .sort((a, b) => fs.statSync(path.resolve(ROOT, b)).size - fs.statSync(path.resolve(ROOT, a)).size);
    const file = fs.readFileSync(path.resolve(ROOT, biggest));
    const url = `${app.url}/build/${biggest.replace(/^.*?public\/(build\/)?/, '')}`;
    const get = async (encoding: string) => {
      const res = await fetch(url, { headers: { 'Accept-Encoding': encoding } });
      expect(res.status).toBe(200);
      return { res, body: Buffer.from(await res.arrayBuffer()) };
    };
    // fetch decodes what it asked for; compare the decoded bytes and the header.
    const br = await get('gzip, deflate, br');
    expect(br.res.headers.get('content-encoding')).toBe('br');
    expect(br.res.headers.get('content-type')).toMatch(/javascript/);
    expect(br.res.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(br.res.headers.get('cache-control')).toMatch(/immutable/);
    expect(br.body.equals(file)).toBe(true);
    expect(fs.statSync(path.resolve(ROOT, `${biggest}.br`)).size).toBeLessThan(zlib.brotliCompressSync(file, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }).length);
    const gz = await get('gzip');
    expect(gz.res.headers.get('content-encoding')).toBe('gzip');
    expect(gz.body.equals(file)).toBe(true);
    const plain = await get('identity');
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.body.equals(file)).toBe(true);
    // A script carries the headers that act on a script, not the document's policies.
    expect(gz.res.headers.get('x-content-type-options')).toBe('nosniff');
    for (const name of ['content-security-policy', 'x-frame-options', 'cross-origin-opener-policy', 'permissions-policy', 'etag', 'last-modified', 'set-cookie']) {
      expect(gz.res.headers.get(name), name).toBeNull();
    }
    // A page still has them all.
    const page = await fetch(`${app.url}/organisationer`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers a file that is not in the build with a plain 404, not a page without its CSP', async () => {
    const res = await fetch(`${app.url}/build/_shared/chunk-GONE1234.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('Filen finns inte.');
  });

  it('after refusing a body it has not read, answers the next request on the same connection', async () => {
    // One keep-alive connection by hand; the body goes slowly, as over a real network.
    const socket = net.connect(Number(new URL(app.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    const answers = (n: number) => (received.match(/^HTTP\/1\.1 \d+/gm) ?? []).slice(0, n);
    const until = async (n: number) => {
      for (let i = 0; i < 100 && answers(n).length < n; i++) await new Promise((r) => setTimeout(r, 50));
      return answers(n);
    };
    try {
      const send = async (head: string, body: Buffer) => {
        socket.write(head);
        for (let at = 0; at < body.length; at += 16_384) {
          socket.write(body.subarray(at, at + 16_384));
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      // Over the save's 512 KB limit by its length header: refused before a byte is read.
      const big = Buffer.alloc(600_000, 'x');
      await send(`POST /svar/abc/spara HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`, big);
      // Chunked, without a length: refused once 512 KB have been read.
      const chunked = Buffer.concat([Buffer.from(`${big.length.toString(16)}\r\n`), big, Buffer.from('\r\n0\r\n\r\n')]);
      await send(`POST /svar/abc/spara HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, chunked);
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await until(3)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 413', 'HTTP/1.1 200']);
      expect(socket.destroyed).toBe(false);
    } finally {
      socket.destroy();
    }
  });

  it('keeps an idle connection open longer than clients do, so a client never reuses a closing socket', async () => {
    const res = await fetch(`${app.url}/healthz`);
    await res.arrayBuffer();
    // undici keeps a socket for the server's hint minus 2 s: with Node's default of 5 s, only just less.
    const hint = Number(/timeout=(\d+)/.exec(res.headers.get('keep-alive') ?? '')?.[1]);
    expect(hint).toBeGreaterThanOrEqual(60);
  });

  it('refuses an oversized body with 413 in the error shape of each client', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const api = await fetch(`${app.url}/api/v1/comparisons`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const form = await fetch(`${app.url}/svar/abc/spara`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(form.status).toBe(413);
    expect(await form.json()).toMatchObject({ ok: false, message: expect.stringMatching(/för stora/) });
    // The grant year's ledger upload takes a body a little over its 2 MB file limit to the page (which names the limit); far over, a plain Swedish 413.
    const ledger = await fetch(`${app.url}/admin/medel/1`, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: 'x'.repeat(9 * 1024 * 1024) });
    expect(ledger.status).toBe(413);
    expect(await ledger.text()).toMatch(/registret får vara högst 2 MB/);
    const near = await fetch(`${app.url}/admin/medel/1`, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: big });
    expect(near.status).not.toBe(413);
  });
});
