/**
 * Fuzz drill (issue #8): generated hostile answer payloads (test/drills/fuzz-payloads.ts) go to
 * POST /svar/<token>/spara and /skicka of the built server for every survey, over real HTTP as
 * raw bytes. Properties: no 5xx, no connection error, the server healthy at the end, no stored
 * change from a rejected request (the assignment's response row, revisions, status, analysis
 * rows and outbox, read from the database before and after), and no payload that must be
 * refused (unknown key, wrong type, …) ever accepted.
 *
 * A submit that fails full validation may still save the answers as a draft and says so
 * (`saved: true` with the new version): that is counted as `savedOnInvalidSubmit`, and the
 * stored version must be the one the answer names.
 *
 * Reproduce a failure: FUZZ_SEED=<seed> and the payload index printed with it, via
 * fuzzPayload(surveyId, questions, answers, seed, index).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { MAX_ANSWER_BYTES } from '../../app/models/responses/respondent-request.server';
import { createRound } from '../../app/models/rounds/rounds.server';
import { getSurveys } from '../../app/models/surveys/surveys.server';
import { startApp } from '../e2e/harness';
import { failureList, type DrillOptions, type DrillReport } from './drill';
import { fuzzPayload, questionsOf, type Endpoint, type FuzzPayload } from './fuzz-payloads';

const fixtures = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/valid-answers.json'), 'utf8')) as Record<string, Record<string, unknown>>;

const PAYLOADS = { ci: 300, full: 10_000 } as const;
/** Hard cap on the whole drill: a hang or a crawl fails it instead of running forever. */
const TIME_LIMIT_MS = { ci: 9 * 60_000, full: 4 * 60 * 60_000 } as const;
const REQUEST_TIMEOUT_MS = 30_000;
/** Assignments are created in batches of this many per survey; a successful submit uses one up. */
const BATCH = 10;

interface Reply {
  status: number;
  body: string;
}

/**
 * One POST with raw bytes. Big bodies go on their own connection: the server may close it after
 * a 413. A reset on a reused keep-alive socket before any answer is the known race with the
 * server closing an idle socket (the request was never read): retried once, as Node's docs advise,
 * and counted.
 */
async function post(agent: http.Agent, url: string, body: Buffer, contentType: string | null, onRetry: () => void): Promise<Reply> {
  try {
    return await postOnce(agent, url, body, contentType);
  } catch (e) {
    if (!(e as { reusedSocket?: boolean }).reusedSocket || (e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e;
    onRetry();
    return postOnce(agent, url, body, contentType);
  }
}

function postOnce(agent: http.Agent, url: string, body: Buffer, contentType: string | null): Promise<Reply> {
  const own = body.length > 256 * 1024;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'Content-Length': body.length };
    if (contentType) headers['Content-Type'] = contentType;
    if (own) headers.Connection = 'close';
    let answered = false;
    const req = http.request(url, { method: 'POST', agent: own ? false : agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    // Writing the rest of a refused body can fail once the answer is in; only earlier errors count.
    req.on('error', (e) => {
      if (!answered) reject(Object.assign(e, { reusedSocket: req.reusedSocket }));
    });
    req.end(body);
  });
}

export async function run(options: DrillOptions): Promise<DrillReport> {
  const { db, url, dialect } = options.database;
  const log = options.log ?? (() => {});
  const seed = Number(process.env.FUZZ_SEED ?? 8);
  // FUZZ_PAYLOADS overrides the count, e.g. to replay the first payloads of a failing seed.
  const perSurvey = Number(process.env.FUZZ_PAYLOADS) || PAYLOADS[options.scale];
  const started = performance.now();
  const deadline = Date.now() + TIME_LIMIT_MS[options.scale];
  const { failures, fail } = failureList();
  const statuses = new Map<number, number>();
  const counts = { requests: 0, accepted: 0, rejected: 0, savedOnInvalidSubmit: 0, serverErrors: 0, connectionErrors: 0, closedOnOversize: 0, idleResetRetries: 0, changedOnReject: 0, acceptedInvalid: 0, submitted: 0 };
  const perSurveyTried: Record<string, number> = {};
  /** Milliseconds spent per mutation family, for the log of long runs. */
  const timeByKind = new Map<string, number>();

  const surveys = getSurveys();
  const organisationIds = (await db.selectFrom('organisations').select('id').orderBy('id').execute()).map((r) => r.id);
  const day = 86_400_000;
  const window = { opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + 30 * day).toISOString() };
  let rounds = 0;

  /** A stream of fresh open assignments for a survey. */
  function assignmentsOf(surveyId: string, person: boolean, offset: number) {
    const pool: { id: number; token: string }[] = [];
    return async () => {
      if (!pool.length) {
        const n = rounds++;
        const orgs = Array.from({ length: BATCH }, (_, i) => organisationIds[(offset * 97 + n * BATCH + i) % organisationIds.length]);
        const created = await createRound(db, {
          surveyId,
          title: `Fuzz ${surveyId} ${n}`,
          ...window,
          ...(person ? { persons: orgs.map((o, i) => ({ name: `Fuzz ${n}-${i}`, email: `fuzz-${n}-${i}@example.se`, organisationId: o })) } : { organisationIds: orgs }),
        });
        pool.push(...created.assignments.map((a) => ({ id: a.id, token: a.token })));
      }
      return pool.shift()!;
    };
  }

  /** Everything a request to this assignment could change, as one comparable string. */
  async function snapshot(assignmentId: number): Promise<{ text: string; version: number; status: string }> {
    const assignment = await db.selectFrom('assignments').select(['status', 'updated_at']).where('id', '=', assignmentId).executeTakeFirstOrThrow();
    const response = await db.selectFrom('responses').selectAll().where('assignment_id', '=', assignmentId).executeTakeFirst();
    const [revisions, values] = response
      ? await Promise.all([
          db
            .selectFrom('response_revisions')
            .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('version').as('version'), eb.fn.max('id').as('id')])
            .where('response_id', '=', response.id)
            .executeTakeFirstOrThrow(),
          db.selectFrom('answer_values').select((eb) => eb.fn.countAll<number>().as('n')).where('response_id', '=', response.id).executeTakeFirstOrThrow(),
        ])
      : [null, { n: 0 }];
    const outbox = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('assignment_id', '=', assignmentId).executeTakeFirstOrThrow();
    return {
      text: JSON.stringify({ assignment, response: response ?? null, revisions: revisions && { n: Number(revisions.n), version: revisions.version, id: revisions.id }, answerValues: Number(values.n), outbox: Number(outbox.n) }),
      version: response?.version ?? 0,
      status: assignment.status,
    };
  }

  const app = await startApp(url, { JOBS: 'off' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    await Promise.all(
      surveys.map(async (survey, s) => {
        const surveyId = survey.meta.id;
        const answers = fixtures[surveyId];
        if (!answers) return fail(`${surveyId}: no valid answer set in test/fixtures/valid-answers.json`);
        const questions = questionsOf(survey.json);
        const next = assignmentsOf(surveyId, survey.meta.audience === 'person', s);
        let assignment = await next();
        perSurveyTried[surveyId] = 0;
        for (let index = 0; index < perSurvey; index++) {
          if (Date.now() > deadline) return fail(`${surveyId}: time limit reached after ${index} payloads`);
          const payload = fuzzPayload(surveyId, questions, answers, seed, index);
          perSurveyTried[surveyId]++;
          for (const endpoint of ['save', 'submit'] as Endpoint[]) {
            const locked = await exercise(surveyId, assignment, payload, endpoint);
            if (locked) assignment = await next();
          }
        }
      }),
    );

    // The server must still be up and answering.
    const health = await fetch(`${app.url}/healthz`).then((r) => r.status, (e: Error) => e.message);
    if (health !== 200 || app.process.exitCode !== null) fail(`server not healthy at the end: /healthz ${health}, exit code ${app.process.exitCode}`);
  } finally {
    agent.destroy();
    await app.stop();
  }

  /** Sends one payload to one endpoint and checks it; true when the assignment is now submitted. */
  async function exercise(surveyId: string, assignment: { id: number; token: string }, payload: FuzzPayload, endpoint: Endpoint): Promise<boolean> {
    const where = `${surveyId} seed ${seed} payload ${payload.index} (${payload.kind}) → ${endpoint}`;
    const sent = performance.now();
    const before = await snapshot(assignment.id);
    const body = payload.body(endpoint, before.version);
    counts.requests++;
    let reply: Reply;
    try {
      reply = await post(agent, `${app.url}/svar/${assignment.token}/${endpoint === 'save' ? 'spara' : 'skicka'}`, body, payload.contentType, () => counts.idleResetRetries++);
    } catch (e) {
      // Over the endpoints' limit (and the server-wide one above it), the server answers 413 from
      // the length header without reading the body, and closes this Connection: close socket; a
      // client still writing the body can see EPIPE/ECONNRESET before it reads that answer (seed 8,
      // a 1.7 MB deep-nesting body, did in CI). A refusal all the same: stored data must not change.
      const code = (e as NodeJS.ErrnoException).code;
      if (body.length > MAX_ANSWER_BYTES && (code === 'EPIPE' || code === 'ECONNRESET')) {
        counts.closedOnOversize++;
        const after = await snapshot(assignment.id);
        if (before.text !== after.text) {
          counts.changedOnReject++;
          fail(`${where}: refused by closing the connection, but stored data changed`);
        }
        return after.status === 'submitted';
      }
      counts.connectionErrors++;
      fail(`${where}: connection error ${(e as Error).message}`);
      return true;
    }
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    const after = await snapshot(assignment.id);
    let json: any = null;
    try {
      json = JSON.parse(reply.body);
    } catch {
      /* checked below where it matters */
    }
    if (reply.status >= 500) {
      counts.serverErrors++;
      fail(`${where}: ${reply.status} ${reply.body.slice(0, 300)}`);
    } else if (reply.status >= 200 && reply.status < 300) {
      counts.accepted++;
      if (payload.expect === 'reject') {
        counts.acceptedInvalid++;
        fail(`${where}: accepted (${reply.status}) a payload that must be refused: ${reply.body.slice(0, 200)}`);
      }
      if (json?.version !== after.version) fail(`${where}: answered version ${json?.version}, stored ${after.version}`);
    } else if (reply.status === 400 && endpoint === 'submit' && json?.saved === true) {
      // Full validation failed, the answers passed draft checks and were kept as a draft.
      counts.savedOnInvalidSubmit++;
      if (json.version !== after.version || after.status === 'submitted') fail(`${where}: said saved as version ${json.version}, stored version ${after.version} (${after.status})`);
    } else {
      counts.rejected++;
      // Every refusal explains itself in JSON, also the server-wide body limit (app/server.ts).
      // A conflict answers with the server's version and answers ({ ok: false, reason: 'conflict', … }).
      const explained = json?.ok === false && (typeof json.error === 'string' || (reply.status === 409 && json.reason === 'conflict'));
      if (!explained) fail(`${where}: ${reply.status} without a JSON error: ${reply.body.slice(0, 200)}`);
      if (before.text !== after.text) {
        counts.changedOnReject++;
        fail(`${where}: ${reply.status} but stored data changed:\n  before ${before.text.slice(0, 400)}\n  after  ${after.text.slice(0, 400)}`);
      }
    }
    const family = payload.kind.split(':')[0];
    timeByKind.set(family, (timeByKind.get(family) ?? 0) + performance.now() - sent);
    if (after.status === 'submitted') counts.submitted++;
    return after.status === 'submitted';
  }

  const durationMs = performance.now() - started;
  const tried = Object.values(perSurveyTried).reduce((a, b) => a + b, 0);
  log(`seed ${seed}: ${tried} payloads, ${counts.requests} requests in ${(durationMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  log(`time by payload family (s): ${[...timeByKind].sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
  for (const [id, n] of Object.entries(perSurveyTried)) if (n < perSurvey) fail(`${id}: only ${n} of ${perSurvey} payloads tried`);
  if (Object.keys(perSurveyTried).length !== surveys.length) fail(`only ${Object.keys(perSurveyTried).length} of ${surveys.length} surveys fuzzed`);
  return {
    drill: 'fuzz',
    dialect,
    scale: options.scale,
    passed: failures.length === 0,
    figures: {
      seed,
      surveys: surveys.length,
      payloadsPerSurvey: Math.min(...Object.values(perSurveyTried)),
      payloads: tried,
      ...counts,
      ...Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => [`status${status}`, n])),
    },
    failures,
    durationMs,
  };
}
