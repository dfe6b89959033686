/**
 * Respondent API throughput against the built server (ENKATNAV_BUILD_DIR honoured) on a SQLite
 * file, and also on PostgreSQL when DATABASE_URL=postgres://… is set: draft saves at 1, 10 and 100 concurrent clients, and submits with full validation of the
 * 2018 återrapportering next to GET /healthz in the same run. Bounded loops, 127.0.0.1 only.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createDb } from '../../db/dialect';
import { createRound } from '../../app/models/rounds/rounds.server';
import { buildBase, dropBase, newBaseLocation, testPostgresUrl, withDatabase } from '../helpers/base-db';
import { startApp } from '../e2e/harness';
import { percentile, round, type BenchFigure } from './figure';

const fixtures = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/valid-answers.json'), 'utf8')) as Record<string, Record<string, unknown>>;

interface Result {
  status: number;
  ms: number;
}

function post(agent: http.Agent, url: string, body: unknown): Promise<Result & { json: any }> {
  const payload = Buffer.from(JSON.stringify(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        resolve({ status: res.statusCode ?? 0, ms, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function get(agent: http.Agent, url: string): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      })
      .on('error', reject);
  });
}

/** Runs `clients` closed loops of `perClient` calls each; returns latencies and wall time. */
async function load(clients: number, perClient: number, call: (client: number, i: number) => Promise<Result>) {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) {
        const r = await call(c, i);
        if (r.status !== 200) failures++;
        latencies.push(r.ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

export async function run(): Promise<BenchFigure[]> {
  const pgUrl = testPostgresUrl();
  const figures = await runOn('sqlite');
  if (pgUrl) figures.push(...(await runOn('postgres')).map((f) => ({ ...f, name: `PostgreSQL: ${f.name}` })));
  return figures;
}

async function runOn(dialect: 'sqlite' | 'postgres'): Promise<BenchFigure[]> {
  const pgUrl = testPostgresUrl();
  if (dialect === 'sqlite') delete process.env.DATABASE_URL;
  // buildBase migrates and loads reference data into a fresh SQLite file or PostgreSQL database.
  const base = newBaseLocation();
  await buildBase(base);
  if (pgUrl) process.env.DATABASE_URL = pgUrl;
  const url = dialect === 'sqlite' ? `file:${base.sqlitePath}` : withDatabase(pgUrl!, base.pgTemplate);
  const db = createDb(dialect === 'sqlite' ? { dialect, location: base.sqlitePath } : { dialect, location: url });
  const figures: BenchFigure[] = [];
  try {
    const kommuner = (await db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').orderBy('code').execute()).map((r) => r.id);
    const day = 86_400_000;
    const window = { opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + 30 * day).toISOString() };
    const drafts = await createRound(db, { surveyId: 'oj-vinr-2019', title: 'Bench ÖJ', ...window, organisationIds: kommuner.slice(0, 100) });
    const submitRounds = await Promise.all(
      [1, 2].map((n) => createRound(db, { surveyId: 'aterrapportering-kommun-2018', title: `Bench ÅR ${n}`, ...window, organisationIds: kommuner.slice(0, 200) })),
    );
    const app = await startApp(url, { JOBS: 'off' });
    try {
      const base = app.url;
      const oj = fixtures['oj-vinr-2019'];
      const versions = new Map<string, number>();
      for (const clients of [1, 10, 100]) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
        const perClient = clients === 1 ? 300 : clients === 10 ? 100 : 20;
        // Warm up the route and connections before measuring.
        await load(clients, 2, (c) => saveOnce(c));
        const r = await load(clients, perClient, (c, i) => saveOnce(c, i));
        agent.destroy();
        figures.push(
          { name: `draft saves/s, ${clients} concurrent`, value: round(r.perSecond, 0), unit: 'saves/s' },
          { name: `draft save p50, ${clients} concurrent`, value: round(r.p50, 2), unit: 'ms' },
          { name: `draft save p99, ${clients} concurrent`, value: round(r.p99, 2), unit: 'ms', ...(clients === 100 ? { target: '< 20 ms', met: r.p99 < 20 } : {}) },
        );
        if (r.failures) figures.push({ name: `draft save failures, ${clients} concurrent`, value: r.failures, unit: 'requests', target: '0', met: false });

        async function saveOnce(c: number, i = 0): Promise<Result> {
          const token = drafts.assignments[c].token;
          const data = { ...oj, fortbildning_vuxna: i % 2 ? 'ja' : 'nej', ovriga_kommentarer: `Utkast ${clients}-${i} från klient ${c}` };
          const res = await post(agent, `${base}/svar/${token}/spara`, { baseVersion: versions.get(token) ?? 0, data, savedBy: `Bench ${c}` });
          if (res.status === 200) versions.set(token, res.json.version);
          return res;
        }
      }

      // Open loop, like real autosave: 100 clients each save about once a second for 10 s
      // (offered load 100 saves/s), whatever the server's pace. A closed loop (above) measures
      // the most the server can do; this measures what a respondent waits at a realistic load.
      {
        const clients = 100;
        const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
        const latencies: number[] = [];
        let failures = 0;
        let late = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            const token = drafts.assignments[c].token;
            // Spread the clients over the second, then tick every 1000 ms (about 10 saves each).
            for (let i = 0; i < 10; i++) {
              const due = started + (c / clients) * 1000 + i * 1000;
              const wait = due - performance.now();
              // A save still running when the next is due delays that one: it goes out on return.
              if (wait < 0 && i > 0) late++;
              if (wait > 0) await new Promise((r) => setTimeout(r, wait));
              const data = { ...oj, fortbildning_vuxna: i % 2 ? 'ja' : 'nej', ovriga_kommentarer: `Autosparat ${i} från klient ${c}` };
              const res = await post(agent, `${base}/svar/${token}/spara`, { baseVersion: versions.get(token) ?? 0, data, savedBy: `Bench ${c}` });
              if (res.status === 200) versions.set(token, res.json.version);
              else failures++;
              latencies.push(res.ms);
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        agent.destroy();
        figures.push(
          { name: 'open-loop draft saves/s achieved, 100 clients autosaving every 1 s (offered 100/s)', value: round(latencies.length / seconds, 0), unit: 'saves/s' },
          { name: 'open-loop draft save p50 / p99, 100 clients autosaving every 1 s', value: `${round(percentile(latencies, 50), 1)} / ${round(percentile(latencies, 99), 1)}`, unit: 'ms' },
        );
        if (late) figures.push({ name: 'open-loop saves sent late because the client’s previous save was still running', value: late, unit: 'saves' });
        if (failures) figures.push({ name: 'open-loop draft save failures', value: failures, unit: 'requests', target: '0', met: false });
      }

      // Submits: each assignment submits once with the full 2018 form, 10 clients at a time.
      const full = fixtures['aterrapportering-kommun-2018'];
      const tokens = submitRounds.flatMap((r) => r.assignments.map((a) => a.token));
      const clients = 10;
      const agent = new http.Agent({ keepAlive: true, maxSockets: clients * 2 });
      await load(clients, 2, () => get(agent, `${base}/healthz`));
      const perClient = Math.floor(tokens.length / clients);
      const [submits, health] = await Promise.all([
        load(clients, perClient, (c, i) => post(agent, `${base}/svar/${tokens[c * perClient + i]}/skicka`, { baseVersion: 0, data: full, submittedBy: 'Bench' })),
        load(clients, perClient, () => get(agent, `${base}/healthz`)),
      ]);
      agent.destroy();
      figures.push(
        { name: 'submits/s with full validation (aterrapportering-kommun-2018), 10 concurrent', value: round(submits.perSecond, 0), unit: 'submits/s', target: '≥ 100', met: submits.perSecond >= 100 },
        { name: 'submit p50 / p99, 10 concurrent', value: `${round(submits.p50, 1)} / ${round(submits.p99, 1)}`, unit: 'ms' },
        { name: 'GET /healthz/s in the same run, 10 concurrent', value: round(health.perSecond, 0), unit: 'req/s' },
        { name: 'GET /healthz p50 / p99 in the same run', value: `${round(health.p50, 1)} / ${round(health.p99, 1)}`, unit: 'ms' },
      );
      if (submits.failures) figures.push({ name: 'submit failures', value: submits.failures, unit: 'requests', target: '0', met: false });
    } finally {
      await app.stop();
    }
  } finally {
    await db.destroy();
    if (dialect === 'sqlite') delete process.env.DATABASE_URL;
    await dropBase(base);
    if (pgUrl) process.env.DATABASE_URL = pgUrl;
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${base.sqlitePath}${suffix}`, { force: true });
  }
  return figures;
}
