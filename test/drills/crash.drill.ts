/**
 * Crash drill (issue #8): many clients save drafts and submit over keep-alive HTTP while the
 * server is killed with SIGKILL at a random moment and restarted on the same database. Every
 * request that got a 2xx must then be in the database exactly as acknowledged: a save as its
 * (response, version) revision with the sent answers, a submit as a submitted assignment with
 * the acknowledged reference and answers. After each restart the database must be consistent
 * (contiguous revisions, response = its last revision, SQLite integrity_check) and a new save
 * and submit must work. Each client owns its assignments, so a conflict is only legitimate
 * after one of its requests went unanswered at a kill.
 *
 * What SIGKILL tests: that nothing is acknowledged before its commit, and that the database
 * recovers from a process dying mid-transaction. It does not cut power, so the OS page cache
 * survives; synchronous=FULL (SQLite) and fsync=on (PostgreSQL) cover that part.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { createRound } from '../../app/models/rounds/rounds.server';
import { startApp, type RunningApp } from '../e2e/harness';
import { failureList, type DrillOptions, type DrillReport } from './drill';

type Answers = Record<string, unknown>;

const fixtures = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/valid-answers.json'), 'utf8')) as Record<string, Answers>;

/** A free-text question per survey that carries each request's unique marker. */
const MARKED: Record<string, string> = { 'oj-vinr-2019': 'ovriga_kommentarer', 'aterrapportering-kommun-2018': 'ekonomi_kommentar' };

const SCALES = {
  ci: { cycles: 2, clients: 24, rounds: 2, organisations: 100, acksBeforeKill: 40, killDelayMs: [100, 1200] },
  full: { cycles: 5, clients: 50, rounds: 8, organisations: 290, acksBeforeKill: 200, killDelayMs: [300, 4000] },
} as const;

export interface JsonAnswer {
  status: number;
  json: any;
}

/**
 * POSTs JSON over a keep-alive agent. Rejects on a network error, an answer cut off mid-body
 * or no answer within `timeoutMs`; only a complete answer resolves.
 * @example const { status, json } = await postJson(agent, `${url}/svar/${token}/spara`, { baseVersion: 0, data, savedBy: 'A' });
 */
export function postJson(agent: http.Agent, url: string, body: unknown, timeoutMs = 30_000): Promise<JsonAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('answer cut off')));
      res.on('end', () => {
        if (!res.complete) return reject(new Error('answer cut off'));
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** JSON with object keys sorted, so answers compare equal whatever order they were stored in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

interface Assignment {
  id: number;
  token: string;
  surveyId: string;
}

interface Ack {
  kind: 'save' | 'submit';
  assignment: Assignment;
  version: number;
  /** The answers sent; undefined for a repeated submit, whose first attempt went unanswered. */
  data: Answers | undefined;
  by: string;
  reference?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

export async function run(options: DrillOptions): Promise<DrillReport> {
  const started = Date.now();
  const scale = SCALES[options.scale];
  const { db, url: databaseUrl, dialect } = options.database;
  const log = options.log ?? (() => {});
  const { failures, fail } = failureList();

  // Rounds alternate between a short form (ÖJ 2019) and the long 2018 återrapportering.
  const kommuner = (await db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').orderBy('code').execute()).map((r) => r.id);
  const day = 86_400_000;
  const window = { opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + 30 * day).toISOString() };
  const perRound: Assignment[][] = [];
  for (let r = 0; r < scale.rounds; r++) {
    const surveyId = r % 2 === 0 ? 'oj-vinr-2019' : 'aterrapportering-kommun-2018';
    const created = await createRound(db, { surveyId, title: `Krasch-övning ${r + 1}`, ...window, organisationIds: kommuner.slice(0, scale.organisations) });
    perRound.push(created.assignments.map((a) => ({ id: a.id, token: a.token, surveyId })));
  }
  // Interleave the rounds so every client works on both surveys; keep one per cycle for the probe.
  const all = perRound[0].flatMap((_, i) => perRound.map((round) => round[i]).filter(Boolean));
  const probes = all.splice(0, scale.cycles);
  const queues = Array.from({ length: scale.clients }, (_, c) => all.filter((_, i) => i % scale.clients === c));

  const env = { JOBS: 'off' };
  let app: RunningApp = await startApp(databaseUrl, env);
  let agent = new http.Agent({ keepAlive: true, maxSockets: scale.clients });
  const acks: Ack[] = [];
  /** Every marker sent, so a revision nobody sent can be told from one whose answer was lost. */
  const sent = new Set<string>();
  /** Submits per assignment whose answer never came; a repeated submit may answer for them. */
  const unansweredSubmits = new Map<number, Answers[]>();
  const unansweredOn = new Set<number>();
  const counts = { requests: 0, unanswered: 0, inFlightAtKill: 0, conflictsAfterKill: 0, serverErrors: 0, kills: 0, probes: 0 };
  let inFlight = 0;
  let killing = false;
  let stopped = false;
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  let seq = 0;

  async function send(kind: 'save' | 'submit', a: Assignment, baseVersion: number, by: string): Promise<{ answer?: JsonAnswer; data: Answers }> {
    const marker = `krasch ${dialect} #${seq++}`;
    const data = { ...fixtures[a.surveyId], [MARKED[a.surveyId]]: marker };
    sent.add(marker);
    const body = kind === 'save' ? { baseVersion, data, savedBy: by } : { baseVersion, data, submittedBy: by };
    counts.requests++;
    inFlight++;
    try {
      return { answer: await postJson(agent, `${app.url}/svar/${a.token}/${kind === 'save' ? 'spara' : 'skicka'}`, body), data };
    } catch (e) {
      counts.unanswered++;
      unansweredOn.add(a.id);
      if (kind === 'submit') unansweredSubmits.set(a.id, [...(unansweredSubmits.get(a.id) ?? []), data]);
      if (!killing) fail(`${kind} on assignment ${a.id} failed without a kill: ${(e as Error).message}`);
      return { data };
    } finally {
      inFlight--;
    }
  }

  /** One client: for each of its assignments, 1–6 saves that advance the version, then a submit. */
  async function client(c: number): Promise<void> {
    const by = `Klient ${c}`;
    for (const a of queues[c]) {
      const saves = 1 + Math.floor(Math.random() * 6);
      let version = 0;
      let saved = 0;
      // Bounded: a handful of retries per assignment beyond its planned requests.
      for (let attempt = 0; attempt < saves + 20; attempt++) {
        await gate;
        if (stopped) return;
        const kind = saved >= saves ? 'submit' : 'save';
        const { answer, data } = await send(kind, a, version, by);
        if (!answer) continue;
        const { status, json } = answer;
        if (status === 200 && kind === 'save') {
          acks.push({ kind, assignment: a, version: json.version, data, by });
          version = json.version;
          saved++;
        } else if (status === 200) {
          acks.push({ kind, assignment: a, version: json.version, data: json.repeated ? undefined : data, by, reference: json.reference });
          break;
        } else if (status === 409 && (json?.reason === 'conflict' || json?.reason === 'submitted') && unansweredOn.has(a.id)) {
          // An unanswered request of ours committed before the kill: rebase, or fetch the reference.
          counts.conflictsAfterKill++;
          if (json.reason === 'conflict') version = json.version;
          else saved = saves;
        } else {
          if (status >= 500) counts.serverErrors++;
          fail(`${kind} on assignment ${a.id} (base ${version}) answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
          break;
        }
      }
    }
  }

  /** Checks every acknowledgement and the consistency of every touched response; returns found/missing. */
  async function verify(when: string): Promise<{ found: number; missing: number; landedUnacknowledged: number }> {
    const ids = [...new Set([...acks.map((a) => a.assignment.id), ...unansweredOn])];
    if (ids.length === 0) return { found: 0, missing: 0, landedUnacknowledged: 0 };
    const responses = await db
      .selectFrom('responses as r')
      .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
      .select(['r.id', 'r.assignment_id', 'r.data', 'r.version', 'r.reference', 'a.status'])
      .where('r.assignment_id', 'in', ids)
      .execute();
    const revisions = await db
      .selectFrom('response_revisions')
      .select(['response_id', 'version', 'data', 'kind', 'saved_by', 'note'])
      .where('response_id', 'in', responses.length ? responses.map((r) => r.id) : [-1])
      .orderBy('response_id')
      .orderBy('version')
      .execute();
    const byAssignment = new Map(responses.map((r) => [r.assignment_id, r]));
    const revisionsOf = new Map<number, typeof revisions>();
    for (const rev of revisions) revisionsOf.set(rev.response_id, [...(revisionsOf.get(rev.response_id) ?? []), rev]);

    let found = 0;
    let missing = 0;
    for (const ack of acks) {
      const response = byAssignment.get(ack.assignment.id);
      const rev = response && revisionsOf.get(response.id)?.find((r) => r.version === ack.version);
      const problem = !response
        ? 'no response row'
        : !rev
          ? `no revision ${ack.version}`
          : ack.data && canonical(JSON.parse(rev.data)) !== canonical(ack.data)
            ? `revision ${ack.version} holds other answers`
            : ack.kind === 'save' && (rev.kind !== 'draft' || rev.saved_by !== ack.by)
              ? `revision ${ack.version} is ${rev.kind} by ${rev.saved_by}`
              : ack.kind === 'submit' && (response.status !== 'submitted' || response.reference !== ack.reference || rev.kind !== 'submit' || rev.note !== ack.reference)
                ? `status ${response.status}, reference ${response.reference}, revision ${rev.kind} ${rev.note}`
                : ack.kind === 'submit' && !ack.data && !(unansweredSubmits.get(ack.assignment.id) ?? []).some((d) => canonical(d) === canonical(JSON.parse(response.data)))
                  ? 'repeated submit, but the stored answers match no submit sent'
                  : undefined;
      if (problem) {
        missing++;
        fail(`${when}: acknowledged ${ack.kind} of assignment ${ack.assignment.id} version ${ack.version} not durable: ${problem}`);
      } else found++;
    }

    const acked = new Set(acks.filter((a) => a.data).map((a) => canonical(a.data)));
    let landedUnacknowledged = 0;
    for (const response of responses) {
      const revs = revisionsOf.get(response.id) ?? [];
      if (revs.length !== response.version + 1 || revs.some((r, i) => r.version !== i)) {
        fail(`${when}: response ${response.id} at version ${response.version} has revisions ${revs.map((r) => r.version).join(',')}`);
      }
      const last = revs.at(-1);
      if (!last || last.version !== response.version || canonical(JSON.parse(last.data)) !== canonical(JSON.parse(response.data))) {
        fail(`${when}: response ${response.id} data differs from its revision ${response.version}`);
      }
      if (response.status === 'submitted' && (!response.reference || last?.kind !== 'submit')) fail(`${when}: submitted response ${response.id} lacks its reference or submit revision`);
      for (const rev of revs.slice(1)) {
        const data = JSON.parse(rev.data) as Answers;
        const marker = String(data[Object.values(MARKED).find((k) => k in data) ?? ''] ?? '');
        if (!sent.has(marker)) fail(`${when}: revision ${rev.version} of response ${response.id} carries a marker nobody sent: ${marker}`);
        else if (!acked.has(canonical(data))) landedUnacknowledged++;
      }
    }
    if (dialect === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      const result = check.rows.map((r) => r.integrity_check).join('; ');
      if (result !== 'ok') fail(`${when}: SQLite integrity_check: ${result}`);
    }
    return { found, missing, landedUnacknowledged };
  }

  /** After a restart: the server answers, and a new save, a second save and a submit all work. */
  async function probe(a: Assignment): Promise<void> {
    counts.probes++;
    const by = 'Kontroll efter omstart';
    let version = 0;
    for (const kind of ['save', 'save', 'submit'] as const) {
      const { answer, data } = await send(kind, a, version, by);
      if (answer?.status !== 200) {
        fail(`after restart: probe ${kind} on assignment ${a.id} answered ${answer ? `${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}` : 'nothing'}`);
        return;
      }
      acks.push({ kind, assignment: a, version: answer.json.version, data, by, reference: answer.json.reference });
      version = answer.json.version;
    }
  }

  log(`${all.length} assignments in ${scale.rounds} rounds, server up after ${Date.now() - started} ms`);
  const clients = Array.from({ length: scale.clients }, (_, c) => client(c));
  let final = { found: 0, missing: 0, landedUnacknowledged: 0 };
  try {
    for (let cycle = 1; cycle <= scale.cycles; cycle++) {
      const ackedBefore = acks.length;
      const cycleStarted = Date.now();
      if (!(await until(() => acks.length - ackedBefore >= scale.acksBeforeKill, 60_000))) fail(`cycle ${cycle}: only ${acks.length - ackedBefore} acknowledgements within 60 s`);
      const [min, max] = scale.killDelayMs;
      const delay = min + Math.random() * (max - min);
      await sleep(delay);
      await until(() => inFlight > 0, 2_000);
      // Kill first, then close the gate: requests sent in between fail like any other in flight.
      killing = true;
      const exited = new Promise<void>((resolve) => app.process.once('exit', () => resolve()));
      app.process.kill('SIGKILL');
      gate = new Promise<void>((resolve) => (release = resolve));
      counts.inFlightAtKill += inFlight;
      if (inFlight === 0) fail(`cycle ${cycle}: no request was in flight at the kill (the clients ran out of work?)`);
      const atKill = { acks: acks.length, inFlight };
      await exited;
      if (app.process.signalCode === 'SIGKILL') counts.kills++;
      else fail(`cycle ${cycle}: the server exited with ${app.process.exitCode ?? app.process.signalCode}, not by SIGKILL`);
      if (!(await until(() => inFlight === 0, 35_000))) fail(`cycle ${cycle}: ${inFlight} requests still open 35 s after the kill`);
      killing = false;
      agent.destroy();
      agent = new http.Agent({ keepAlive: true, maxSockets: scale.clients });
      const restartStarted = Date.now();
      app = await startApp(databaseUrl, env);
      const restartMs = Date.now() - restartStarted;
      final = await verify(`after kill ${cycle}`);
      await probe(probes[cycle - 1]);
      log(`cycle ${cycle}: ${Date.now() - cycleStarted} ms, restart ${restartMs} ms; killed ${Math.round(delay)} ms after the threshold with ${atKill.acks} acknowledged and ${atKill.inFlight} in flight; after restart ${final.found} found, ${final.missing} missing`);
      if (cycle === scale.cycles) stopped = true;
      release();
    }
    await Promise.all(clients);
    final = await verify('at the end');
  } finally {
    stopped = true;
    release();
    // A server that is already dead (a restart failed) has nothing to stop.
    if (app.process.exitCode === null && app.process.signalCode === null) await app.stop();
    agent.destroy();
  }

  const saves = acks.filter((a) => a.kind === 'save').length;
  if (saves === 0 || acks.length === saves) fail(`too little load: ${saves} saves and ${acks.length - saves} submits acknowledged`);
  return {
    drill: 'crash',
    dialect,
    scale: options.scale,
    passed: failures.length === 0,
    figures: {
      clients: scale.clients,
      kills: counts.kills,
      requests: counts.requests,
      acknowledgedSaves: saves,
      acknowledgedSubmits: acks.length - saves,
      acknowledged: acks.length,
      found: final.found,
      missing: final.missing,
      inFlightAtKill: counts.inFlightAtKill,
      unanswered: counts.unanswered,
      landedUnacknowledged: final.landedUnacknowledged,
      conflictsAfterKill: counts.conflictsAfterKill,
      serverErrors: counts.serverErrors,
    },
    failures,
    durationMs: Date.now() - started,
  };
}
