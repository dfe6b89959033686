import type { Kysely } from 'kysely';
import type { AssignmentStatus, Database } from '../../../db/schema';
import { invitationEmail, reminderEmail } from '../mail/templates.server';
import { enqueueMessages } from '../mail/outbox.server';
import { accessLink, deadlineOf } from './rounds.server';
import { getSurvey } from '../surveys/surveys.server';
import { unsubscribeHeaders, unsubscribeLink } from './unsubscribe.server';

/** One assignment with everything an invitation or a reminder needs. */
export interface MailTarget {
  assignmentId: number;
  roundId: number;
  status: AssignmentStatus;
  recipientName: string;
  /** The person's address for person surveys, else the organisation's contacts; may be empty. */
  to: string[];
  deadline: string;
  roundTitle: string;
  surveyTitle: string;
  contactText: string | null;
  link: string;
  /** The recipient followed the unsubscribe link: no more reminders in this round. */
  remindersOptedOut: boolean;
}

/**
 * Loads the mail targets of a round: every assignment, or only those not submitted, with the
 * contacts of its organisation. Two queries, whatever the round's size.
 */
export async function loadMailTargets(db: Kysely<Database>, roundId: number, options: { onlyMissing?: boolean } = {}): Promise<MailTarget[]> {
  const round = await db.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
  if (!round) return [];
  let query = db
    .selectFrom('assignments as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.token_nonce', 'a.status', 'a.extended_until', 'a.organisation_id', 'a.person_name', 'a.person_email', 'a.reminders_opted_out_at', 'o.name as org_name'])
    .where('a.round_id', '=', roundId);
  // Members of a joint report are covered by their lead: no invitation or reminder of their own.
  if (options.onlyMissing)
    query = query
      .where('a.status', '<>', 'submitted')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('joint_members as j').select('j.member_assignment_id').whereRef('j.member_assignment_id', '=', 'a.id'))));
  const assignments = await query.orderBy('a.id').execute();
  const contacts = await db
    .selectFrom('contacts as c')
    .innerJoin('assignments as a', 'a.organisation_id', 'c.organisation_id')
    .select(['c.organisation_id', 'c.email'])
    .where('a.round_id', '=', roundId)
    .where('a.person_email', 'is', null)
    .orderBy('c.id')
    .execute();
  const byOrg = new Map<number, string[]>();
  for (const c of contacts) {
    const list = byOrg.get(c.organisation_id) ?? [];
    if (!list.includes(c.email)) list.push(c.email);
    byOrg.set(c.organisation_id, list);
  }
  const surveyTitle = getSurvey(round.survey_id)?.meta.title ?? round.title;
  return assignments.map((a) => ({
    assignmentId: a.id,
    roundId,
    status: a.status,
    recipientName: a.person_name ?? a.org_name ?? 'er organisation',
    to: a.person_email ? [a.person_email] : a.organisation_id != null ? (byOrg.get(a.organisation_id) ?? []) : [],
    deadline: deadlineOf(round, a),
    roundTitle: round.title,
    surveyTitle,
    contactText: round.contact_text,
    link: accessLink(a),
    remindersOptedOut: a.reminders_opted_out_at !== null,
  }));
}

/** The dedupe keys already used in a round, so a run only tries what is new. */
export async function usedDedupeKeys(db: Kysely<Database>, roundId: number, kind: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('outbox as m')
    .innerJoin('assignments as a', 'a.id', 'm.assignment_id')
    .select('m.dedupe_key')
    .where('a.round_id', '=', roundId)
    .where('m.kind', '=', kind)
    .execute();
  return new Set(rows.map((r) => r.dedupe_key).filter((k): k is string => k !== null));
}

export interface SendReport {
  /** Messages put in the outbox now. */
  enqueued: number;
  /** Assignments that already had this message. */
  alreadySent: number;
  /** Assignments without any address (no contacts): listed for the administrator. */
  noRecipient: number[];
  /** Reminders not sent because the recipient opted out of this round's reminders. */
  optedOut: number;
}

/** Enqueues one invitation or reminder per target, at most once per dedupe key. */
export async function enqueueForTargets(
  db: Kysely<Database>,
  targets: MailTarget[],
  kind: 'invitation' | 'reminder',
  keyOf: (t: MailTarget) => string,
  stepDays: (t: MailTarget) => number | null,
  now: Date,
): Promise<SendReport> {
  const report: SendReport = { enqueued: 0, alreadySent: 0, noRecipient: [], optedOut: 0 };
  const used = targets.length ? await usedDedupeKeys(db, targets[0].roundId, kind) : new Set<string>();
  const todo: MailTarget[] = [];
  for (const t of targets) {
    if (kind === 'reminder' && t.remindersOptedOut) report.optedOut++;
    else if (used.has(keyOf(t))) report.alreadySent++;
    else if (t.to.length === 0) report.noRecipient.push(t.assignmentId);
    else todo.push(t);
  }
  // A few hundred rows per statement: one disk sync each instead of one per message, without
  // holding SQLite's write lock long enough to stall another instance.
  for (let i = 0; i < todo.length; i += CHUNK) {
    const messages = todo.slice(i, i + CHUNK).map((t) => {
      // One URL for the header and the body's opt-out sentence.
      const unsubscribe = unsubscribeLink(t.assignmentId);
      const input = { ...t, unsubscribeLink: unsubscribe };
      const mail = kind === 'invitation' ? invitationEmail(input) : reminderEmail({ ...input, daysFromDeadline: stepDays(t) });
      return { to: t.to, subject: mail.subject, text: mail.text, html: mail.html, kind, dedupeKey: keyOf(t), assignmentId: t.assignmentId, headers: unsubscribeHeaders(t.assignmentId, unsubscribe) };
    });
    const created = await enqueueMessages(db, messages, now);
    report.enqueued += created;
    // Another instance may have enqueued some of these between our read and our insert.
    report.alreadySent += messages.length - created;
  }
  return report;
}

const CHUNK = 200;

/**
 * Puts one invitation per assignment of the round in the outbox, to the organisation's contacts
 * (or the invited person). Safe to run again: an assignment is invited once
 * (`invitation:<assignmentId>`); assignments added later are invited on the next run.
 * @example const report = await sendInvitations(db, round.id)
 */
export async function sendInvitations(db: Kysely<Database>, roundId: number, now = new Date()): Promise<SendReport> {
  const targets = await loadMailTargets(db, roundId, { onlyMissing: true });
  return enqueueForTargets(db, targets, 'invitation', (t) => `invitation:${t.assignmentId}`, () => null, now);
}
