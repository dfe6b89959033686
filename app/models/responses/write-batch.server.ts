import type { Kysely, Transaction } from 'kysely';
import { dialectOf, inTransaction } from '../../../db/dialect';
import type { Database } from '../../../db/schema';

type WriteJob = { run: (trx: Transaction<Database>) => Promise<unknown>; resolve: (v: any) => void; reject: (e: unknown) => void };
const writeQueues = new WeakMap<Kysely<Database>, WriteJob[]>();

/**
 * Group commit for SQLite. better-sqlite3 commits synchronously and, with synchronous=FULL,
 * every commit waits for an fsync (a few ms) while the whole process waits. Saves, submits and
 * first visits that arrive together are therefore run in one transaction: one fsync for the
 * lot. Each job still does its own conditional update, so conflicts stay per save. If any job
 * throws, the batch is rolled back and every job runs again on its own, so only the failing one
 * sees the error.
 * PostgreSQL commits concurrently on its own; there each job is its own transaction.
 */
export function inWriteBatch<T>(db: Kysely<Database>, run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction || dialectOf(db) !== 'sqlite') return inTransaction(db, run);
  return new Promise<T>((resolve, reject) => {
    let queue = writeQueues.get(db);
    if (!queue) {
      writeQueues.set(db, (queue = []));
      setImmediate(() => void flushWrites(db));
    }
    queue.push({ run, resolve, reject });
  });
}

async function flushWrites(db: Kysely<Database>): Promise<void> {
  const jobs = writeQueues.get(db) ?? [];
  writeQueues.delete(db);
  try {
    const results = await db.transaction().execute(async (trx) => {
      const out: unknown[] = [];
      for (const job of jobs) out.push(await job.run(trx));
      return out;
    });
    jobs.forEach((job, i) => job.resolve(results[i]));
  } catch {
    for (const job of jobs) await db.transaction().execute(job.run).then(job.resolve, job.reject);
  }
}
