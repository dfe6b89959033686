/**
 * survey-core validation on worker threads. A full validation of a 40–60 question form costs
 * about 10 ms of CPU, and on the main thread it blocks every other request meanwhile (health
 * checks, draft saves). The server starts a small pool of workers that run the same server
 * build (app/server.ts serves validation requests instead of HTTP when it is not the main
 * thread), so the worker code is exactly the code that would run inline.
 *
 * Without a pool (tests, CLI, or before the server started one) callers validate inline, with
 * the same function and so the same result. A worker that dies takes its requests with it:
 * they are answered inline instead, and the pool shrinks.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { logger } from '~/utils/logger.server';

const MARK = 'enkatnavValidationWorker';

interface Request {
  id: number;
  surveyId: string;
  data: Record<string, unknown>;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string } | { ready: true };

interface PoolWorker {
  worker: Worker;
  /** Set when the worker has loaded and warmed its models; until then callers validate inline. */
  ready: boolean;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
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

/** Whether this thread is a validation worker started by startValidationWorkers. */
export function isValidationWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[MARK] === true;
}

/**
 * Starts workers running `entry` (the server build, which calls serveValidationRequests when it
 * is a worker). Default count: one per core beyond the first, at least one, at most two.
 * @example startValidationWorkers(fileURLToPath(import.meta.url))
 */
export function startValidationWorkers(entry: string, options: { count?: number; timeoutMs?: number } = {}): void {
  timeoutMs = options.timeoutMs ?? WORKER_TIMEOUT_MS;
  const count = options.count ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  for (let i = 0; i < count; i++) {
    const worker = new Worker(entry, { workerData: { [MARK]: true } });
    const entryOf: PoolWorker = { worker, ready: false, pending: new Map(), retire: (why) => retire(why) };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        entryOf.ready = true;
        for (const notify of readyWaiters.splice(0)) notify();
        return;
      }
      const waiting = entryOf.pending.get(reply.id);
      if (!waiting) return;
      entryOf.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.message));
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
 * Sends a validation to the least busy worker; undefined when there is no pool, so the caller
 * validates inline. The promise rejects if the worker fails; callers then validate inline too.
 */
export function validateInWorker<T>(surveyId: string, data: Record<string, unknown>): Promise<T> | undefined {
  let chosen: PoolWorker | undefined;
  for (const w of workers) if (w.ready && (!chosen || w.pending.size < chosen.pending.size)) chosen = w;
  if (!chosen) return undefined;
  const target = chosen;
  const id = nextId++;
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
    target.pending.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject) });
    target.worker.postMessage({ id, surveyId, data } satisfies Request);
  });
}

/**
 * In a validation worker: runs `warm` (build the models before the first request), tells the
 * pool it is ready, then answers requests with `validate` until the process ends.
 */
export function serveValidationRequests(validate: (surveyId: string, data: Record<string, unknown>) => unknown, warm: () => void = () => {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveValidationRequests must run in a worker thread');
  warm();
  port.postMessage({ ready: true } satisfies Reply);
  port.on('message', (request: Request) => {
    let reply: Reply;
    try {
      reply = { id: request.id, ok: true, result: validate(request.surveyId, request.data) };
    } catch (e) {
      reply = { id: request.id, ok: false, message: (e as Error).message };
    }
    port.postMessage(reply);
  });
}
