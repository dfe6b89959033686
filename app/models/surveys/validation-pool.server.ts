/**
 * survey-core validation on worker threads. A full validation of a 40–60 question form costs
 * about 10 ms of CPU, and on the main thread it blocks every other request meanwhile (health
 * checks, draft saves). The server starts a small pool of workers that run the same server
 * build (app/server.ts serves validation requests instead of HTTP when it is not the main
 * thread), so the worker code is exactly the code that would run inline.
 *
 * A worker knows the built-in surveys (the files) from the start; any other version (published
 * from /admin/enkater, stored in the database) reaches it with the first request for it: each
 * survey has a key (its id and a hash of its meta and JSON), the pool remembers which keys each
 * worker has, and sends the survey along when a worker lacks it. The worker keeps the surveys
 * it was sent (at most `cacheSize`, least recently used out); a worker that dropped one says so
 * and gets it again. A version that changes gets a new key, so a worker never validates against
 * stale JSON.
 *
 * Without a pool (tests, CLI, or before the server started one) callers validate inline, with
 * the same function and so the same result. A worker that dies takes its requests with it:
 * they are answered inline instead, and the pool shrinks. `validationPoolStats()` counts both.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { logger } from '~/utils/logger.server';
import type { LoadedSurvey } from './types.server';

const MARK = 'enkatnavValidationWorker';
const UNKNOWN = 'unknown survey';

interface Request {
  id: number;
  key: string;
  /** Sent when the pool does not know that the worker has this survey. */
  survey?: LoadedSurvey;
  data: Record<string, unknown>;
}
type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string; unknown?: boolean }
  | { ready: true; known: string[] };

const keys = new WeakMap<LoadedSurvey, string>();

/** The survey's key: its id and a hash of its meta and JSON (cached per object). */
export function surveyKey(survey: LoadedSurvey): string {
  let key = keys.get(survey);
  if (!key) {
    const hash = createHash('sha256').update(JSON.stringify([survey.meta, survey.json])).digest('base64url').slice(0, 22);
    keys.set(survey, (key = `${survey.meta.id}:${hash}`));
  }
  return key;
}

interface PoolWorker {
  worker: Worker;
  /** Set when the worker has loaded and warmed its models; until then callers validate inline. */
  ready: boolean;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
  /** The survey keys this worker has (sent to it, or built in); requests for others carry the survey. */
  known: Set<string>;
  /** Takes the worker out of the pool and fails its pending validations (they then run inline). */
  retire: (why: Error) => void;
}

/**
 * A validation takes ~10 ms; a worker that has not answered in this long is taken to hang. It is
 * stopped, and its validations run inline, so a submit never waits on it for longer.
 */
const WORKER_TIMEOUT_MS = 10_000;
let timeoutMs = WORKER_TIMEOUT_MS;

const workers: PoolWorker[] = [];
const readyWaiters: (() => void)[] = [];
let nextId = 1;

const stats = { worker: 0, inline: 0, fallback: 0, surveysSent: 0 };

/**
 * Counts since the process started: validations answered by a worker, run inline because there
 * was no ready worker, run inline because a worker failed (`fallback`), and surveys sent to
 * workers that lacked them.
 */
export function validationPoolStats(): Readonly<typeof stats> {
  return { ...stats };
}

/** Whether this thread is a validation worker started by startValidationWorkers. */
export function isValidationWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[MARK] === true;
}

/**
 * Starts workers running `entry` (the server build, which calls serveValidationRequests when it
 * is a worker). Default count: one per core beyond the first, at least one, at most two.
 * @example startValidationWorkers(fileURLToPath(import.meta.url))
 */
export function startValidationWorkers(entry: string, options: { count?: number; timeoutMs?: number; cacheSize?: number } = {}): void {
  timeoutMs = options.timeoutMs ?? WORKER_TIMEOUT_MS;
  const count = options.count ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  for (let i = 0; i < count; i++) {
    const worker = new Worker(entry, { workerData: { [MARK]: true, cacheSize: options.cacheSize ?? CACHE_SIZE } });
    const entryOf: PoolWorker = { worker, ready: false, pending: new Map(), known: new Set(), retire: (why) => retire(why) };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        for (const key of reply.known ?? []) entryOf.known.add(key);
        entryOf.ready = true;
        for (const notify of readyWaiters.splice(0)) notify();
        return;
      }
      const waiting = entryOf.pending.get(reply.id);
      if (!waiting) return;
      entryOf.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(Object.assign(new Error(reply.message), { unknownSurvey: reply.unknown === true }));
    });
    const retire = (why: Error) => {
      const index = workers.indexOf(entryOf);
      if (index < 0) return; // already retired, or stopped on purpose
      workers.splice(index, 1);
      logger.warn({ err: why.message, left: workers.length }, 'validation worker stopped; its validations run inline');
      for (const waiting of entryOf.pending.values()) waiting.reject(why);
      entryOf.pending.clear();
    };
    worker.on('error', retire);
    worker.on('exit', (code) => retire(new Error(`validation worker exited with code ${code}`)));
    workers.push(entryOf);
  }
}

/** How many workers are ready to take validations. */
export function readyValidationWorkers(): number {
  return workers.filter((w) => w.ready).length;
}

/** Resolves when `count` workers are ready, or after `timeoutMs` (for tests and benchmarks). */
export async function whenValidationWorkersReady(count: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (readyValidationWorkers() < count && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      readyWaiters.push(resolve);
      setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
    });
  }
  return readyValidationWorkers() >= count;
}

/** Stops the workers (tests; the server simply exits). */
export async function stopValidationWorkers(): Promise<void> {
  const stopping = workers.splice(0);
  for (const w of stopping) for (const waiting of w.pending.values()) waiting.reject(new Error('validation workers stopped'));
  await Promise.all(stopping.map((w) => w.worker.terminate()));
}

/**
 * Sends a validation to the least busy worker, with the survey if that worker lacks it;
 * undefined when there is no pool, so the caller validates inline. The promise rejects if the
 * worker fails; callers then validate inline too. A worker that no longer has the survey (it
 * dropped it from its cache) gets it again, once.
 */
export function validateInWorker<T>(survey: LoadedSurvey, data: Record<string, unknown>): Promise<T> | undefined {
  let chosen: PoolWorker | undefined;
  for (const w of workers) if (w.ready && (!chosen || w.pending.size < chosen.pending.size)) chosen = w;
  if (!chosen) return undefined;
  const target = chosen;
  const key = surveyKey(survey);
  const send = (withSurvey: boolean) => post<T>(target, { id: nextId++, key, data, ...(withSurvey ? { survey: { meta: survey.meta, json: survey.json, file: survey.file } } : {}) });
  const first = !target.known.has(key);
  if (first) stats.surveysSent++;
  target.known.add(key);
  return send(first).catch((e: Error & { unknownSurvey?: boolean }) => {
    if (first || !e.unknownSurvey || !workers.includes(target)) throw e;
    stats.surveysSent++;
    return send(true);
  });
}

function post<T>(target: PoolWorker, request: Request): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      target.retire(new Error(`validation worker did not answer within ${timeoutMs} ms`));
      void target.worker.terminate();
    }, timeoutMs);
    timer.unref();
    const done = <A extends unknown[]>(settle: (...args: A) => void) => (...args: A) => {
      clearTimeout(timer);
      settle(...args);
    };
    target.pending.set(request.id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject) });
    target.worker.postMessage(request);
  });
}

/**
 * `validate(survey, data)` on a worker when the pool has a ready one, else (or if the worker
 * fails) inline with `inline`: the same function, so the same result.
 */
export async function validateOnPool<T>(survey: LoadedSurvey, data: Record<string, unknown>, inline: () => T): Promise<T> {
  const pending = validateInWorker<T>(survey, data);
  if (!pending) {
    stats.inline++;
    return inline();
  }
  try {
    const result = await pending;
    stats.worker++;
    return result;
  } catch (e) {
    stats.fallback++;
    logger.warn({ err: (e as Error).message, survey: survey.meta.id }, 'validation worker failed; validating inline');
    return inline();
  }
}

/** How many surveys a worker keeps besides the built-in ones. */
const CACHE_SIZE = 50;

/**
 * In a validation worker: runs `warm` (build the models before the first request), tells the
 * pool it is ready and which surveys it has (`builtIn`), then answers requests with `validate`
 * until the process ends. Surveys sent with a request are kept, the least recently used dropped.
 */
export function serveValidationRequests(validate: (survey: LoadedSurvey, data: Record<string, unknown>) => unknown, builtIn: LoadedSurvey[], warm: () => void = () => {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveValidationRequests must run in a worker thread');
  const cacheSize = Math.max(1, Number((workerData as Record<string, unknown> | null)?.cacheSize) || CACHE_SIZE);
  const fixed = new Map(builtIn.map((s) => [surveyKey(s), s]));
  const sent = new Map<string, LoadedSurvey>();
  const find = (request: Request): LoadedSurvey | undefined => {
    const known = fixed.get(request.key) ?? sent.get(request.key);
    if (known && !fixed.has(request.key)) sent.delete(request.key); // re-inserted below: most recent last
    const survey = known ?? request.survey;
    if (survey && !fixed.has(request.key)) {
      sent.set(request.key, survey);
      for (const old of sent.keys()) if (sent.size > cacheSize) sent.delete(old);
    }
    return survey;
  };
  warm();
  port.postMessage({ ready: true, known: [...fixed.keys()] } satisfies Reply);
  port.on('message', (request: Request) => {
    let reply: Reply;
    const survey = find(request);
    try {
      if (!survey) reply = { id: request.id, ok: false, unknown: true, message: `${UNKNOWN} ${request.key.replace(/:[^:]*$/, '')}` };
      else reply = { id: request.id, ok: true, result: validate(survey, request.data) };
    } catch (e) {
      reply = { id: request.id, ok: false, message: (e as Error).message };
    }
    port.postMessage(reply);
  });
}
