import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Round } from '../../../db/schema';
import { enqueueForTargets, loadMailTargets, type MailTarget, type SendReport } from './invitations.server';

export const DEFAULT_REMINDER_SCHEDULE = [-14, -3, 2];
const DAY_MS = 86_400_000;

/** The round's reminder days relative to the deadline, sorted; the default when unreadable. */
export function reminderSchedule(round: Pick<Round, 'reminder_schedule'>): number[] {
  try {
    return z.array(z.number().int().min(-365).max(365)).parse(JSON.parse(round.reminder_schedule)).sort((a, b) => a - b);
  } catch {
    return DEFAULT_REMINDER_SCHEDULE;
  }
}

/**
 * The step due now for an assignment: the latest step whose time (deadline + days) has passed,
 * or null. Only the latest counts, so a round created late does not fire all its old steps at
 * once; and a step that fell before the round opened is skipped.
 */
export function dueStep(schedule: number[], deadline: string, opensAt: string, now: Date): number | null {
  let due: number | null = null;
  for (const days of schedule) {
    const at = Date.parse(deadline) + days * DAY_MS;
    if (at <= now.getTime() && at >= Date.parse(opensAt)) due = days;
  }
  return due;
}

const reminderKey = (assignmentId: number, step: number | string) => `reminder:${assignmentId}:${step}`;

export interface ReminderRunReport extends SendReport {
  rounds: number;
}

/**
 * For every open round, enqueues the due reminder of each assignment that is not submitted,
 * to its contacts. Each (assignment, step) gets at most one message, also when several
 * instances run this at once (unique dedupe key), so running it again sends nothing new.
 */
export async function sendDueReminders(db: Kysely<Database>, now = new Date()): Promise<ReminderRunReport> {
  const stamp = now.toISOString();
  const rounds = await db
    .selectFrom('rounds')
    .selectAll()
    .where('opens_at', '<=', stamp)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', stamp)]))
    .orderBy('id')
    .execute();
  const total: ReminderRunReport = { rounds: 0, enqueued: 0, alreadySent: 0, noRecipient: [], optedOut: 0 };
  for (const round of rounds) {
    const schedule = reminderSchedule(round);
    if (schedule.length === 0) continue;
    // Cheap check before loading assignments: could any step be due, given the latest extension?
    const earliest = Date.parse(round.closes_at) + schedule[0] * DAY_MS;
    if (earliest > now.getTime()) continue;
    const targets = (await loadMailTargets(db, round.id, { onlyMissing: true }))
      .map((t) => ({ t, step: dueStep(schedule, t.deadline, round.opens_at, now) }))
      .filter((x): x is { t: MailTarget; step: number } => x.step !== null);
    if (targets.length === 0) continue;
    const steps = new Map(targets.map((x) => [x.t.assignmentId, x.step]));
    const report = await enqueueForTargets(
      db,
      targets.map((x) => x.t),
      'reminder',
      (t) => reminderKey(t.assignmentId, steps.get(t.assignmentId)!),
      (t) => steps.get(t.assignmentId)!,
      now,
    );
    total.rounds++;
    total.enqueued += report.enqueued;
    total.alreadySent += report.alreadySent;
    total.noRecipient.push(...report.noRecipient);
    total.optedOut += report.optedOut;
  }
  return total;
}

export interface ManualReminderReport extends SendReport {
  /** The assignments that would get (dry run) or got a reminder. */
  targets: MailTarget[];
}

/**
 * Reminds every assignment of a round that is not submitted, now, outside the schedule. At
 * most one manual reminder per assignment and day (`reminder:<id>:manual-<date>`). With
 * `dryRun`, only lists who would get one.
 * @example await remindRound(db, 7, { dryRun: true })
 */
export async function remindRound(db: Kysely<Database>, roundId: number, options: { now?: Date; dryRun?: boolean } = {}): Promise<ManualReminderReport> {
  const now = options.now ?? new Date();
  const all = await loadMailTargets(db, roundId, { onlyMissing: true });
  const targets = all.filter((t) => !t.remindersOptedOut);
  const optedOut = all.length - targets.length;
  // The day as seen in Sweden, e.g. manual-2019-03-04.
  const step = `manual-${new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now)}`;
  if (options.dryRun) {
    return { targets, enqueued: 0, alreadySent: 0, noRecipient: targets.filter((t) => t.to.length === 0).map((t) => t.assignmentId), optedOut };
  }
  const report = await enqueueForTargets(db, targets, 'reminder', (t) => reminderKey(t.assignmentId, step), (t) => Math.round((now.getTime() - Date.parse(t.deadline)) / DAY_MS), now);
  return { ...report, optedOut, targets };
}
