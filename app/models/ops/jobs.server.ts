import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { appBaseUrl } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import { pruneRateLimits } from '~/utils/rate-limit.server';
import { deleteExpiredSessions } from '~/utils/session.server';
import { getMailer, type Mailer } from '../mail/mailer.server';
import { deliverDueMessages, newWorkerId, type DeliveryReport } from '../mail/outbox.server';
import { sendDueReminders, type ReminderRunReport } from '../rounds/reminders.server';
import { pruneSignInTokens } from '../auth/users.server';
import { syncGrantReports } from '../grants/reports.server';
import { sendScheduledRequestReminders } from '../grants/rekvisition.server';

export interface JobsReport {
  reminders: ReminderRunReport;
  /** Automatic rekvisition reminders queued (grant years' `request_reminder_days`). */
  grantReminders: { years: number; enqueued: number; noAddress: number };
  /** Null when no mailer is configured (SMTP_URL unset): messages stay queued. */
  delivery: DeliveryReport | null;
}

/**
 * One pass of the background work: enqueue due reminders (rounds' and rekvisition's), deliver due messages, and tidy
 * expired sessions, tokens and rate-limit counters. Safe to run in every instance at once:
 * reminders are de-duplicated by key and messages are claimed before sending.
 * @example await runDueJobs(db, new Date(), { mailer: smtpMailer(url, from) })
 */
export async function runDueJobs(
  db: Kysely<Database>,
  now = new Date(),
  options: { mailer?: Mailer | null; workerId?: string } = {},
): Promise<JobsReport> {
  const reminders = await sendDueReminders(db, now);
  const grantReminders = await sendScheduledRequestReminders(db, appBaseUrl(), now);
  // Reports submitted outside the submit route (imports, a failed sync) reach the grant ledger here.
  await syncGrantReports(db);
  const mailer = options.mailer === undefined ? getMailer() : options.mailer;
  const delivery = mailer ? await deliverDueMessages(db, mailer, { now, workerId: options.workerId }) : null;
  await deleteExpiredSessions(db, now);
  await pruneSignInTokens(db, now);
  await pruneRateLimits(db, now.getTime());
  return { reminders, grantReminders, delivery };
}

let running: Promise<unknown> | null = null;
let stopped = true;

/** Runs `work` unless a pass is already running in this process; errors are logged, never thrown. */
function runExclusive(work: () => Promise<unknown>): Promise<unknown> {
  if (running) return running;
  running = work()
    .catch((error) => logger.error({ err: error }, 'job run failed'))
    .finally(() => {
      running = null;
    });
  return running;
}

/**
 * Starts the in-process job loop (app/server.ts, when JOBS=on): a pass every
 * JOBS_INTERVAL_SECONDS (default 60). The timer is unref'd, so it never keeps the process alive.
 * Returns a stop function that waits for a pass in progress.
 */
export function startJobLoop(db: () => Kysely<Database> = getDb): () => Promise<void> {
  const { JOBS_INTERVAL_SECONDS } = getEnv();
  const workerId = newWorkerId('loop');
  stopped = false;
  const tick = () => {
    if (stopped) return;
    void runExclusive(async () => {
      const report = await runDueJobs(db(), new Date(), { workerId });
      if (report.reminders.enqueued || report.grantReminders.enqueued || report.delivery?.sent || report.delivery?.retrying || report.delivery?.failed) {
        logger.info({ reminders: report.reminders.enqueued, grantReminders: report.grantReminders.enqueued, delivery: report.delivery }, 'jobs run');
      }
    });
  };
  const timer = setInterval(tick, JOBS_INTERVAL_SECONDS * 1000);
  timer.unref();
  setImmediate(tick);
  logger.info({ intervalSeconds: JOBS_INTERVAL_SECONDS, workerId }, 'job loop started');
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/**
 * Delivers queued messages now instead of at the next tick (a sign-in link should not wait a
 * minute). Does nothing without a mailer or when the loop is not running in this process.
 */
export function deliverSoon(db: () => Kysely<Database> = getDb): void {
  if (stopped) return;
  const mailer = getMailer();
  if (!mailer) return;
  // If a pass is under way, deliver right after it (its claim may have missed the new message).
  setImmediate(() => void Promise.resolve(running).then(() => runExclusive(() => deliverDueMessages(db(), mailer))));
}
