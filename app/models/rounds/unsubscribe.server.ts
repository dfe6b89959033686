import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { inTransaction } from '../../../db/dialect';
import { appBaseUrl } from '~/utils/auth.server';
import { hmac, safeEqual } from '~/utils/secrets.server';
import { audit } from '../auth/audit.server';
import { getSurvey } from '../surveys/surveys.server';

/**
 * Opting out of a round's reminders from the e-mail itself (RFC 2369 `List-Unsubscribe`, RFC
 * 8058 one-click). The link token is `<assignmentId>.<hmac>`: it names one assignment, so one
 * click stops the reminders of that assignment in that round and nothing else (invitations to
 * later rounds still come). It is signed with the server secret and, unlike the form link, does
 * not depend on the assignment's nonce, so rotating the form link does not break unsubscribing.
 * The assignment's form link keeps working; only reminders stop.
 */

const PURPOSE = 'reminder-unsubscribe';
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function unsubscribeToken(assignmentId: number): string {
  return `${assignmentId}.${hmac(PURPOSE, String(assignmentId))}`;
}

/** @example unsubscribeLink(7) → 'https://enkatnav.example.se/avregistrera/7.Xy…' */
export function unsubscribeLink(assignmentId: number, baseUrl?: string): string {
  return `${(baseUrl ?? appBaseUrl()).replace(/\/+$/, '')}/avregistrera/${unsubscribeToken(assignmentId)}`;
}

/**
 * The headers of an invitation or reminder: the link, and one-click POST to the same URL. Pass
 * `link` when the body names it too, so both are the same string.
 */
export function unsubscribeHeaders(assignmentId: number, link = unsubscribeLink(assignmentId)): Record<string, string> {
  return {
    'List-Unsubscribe': `<${link}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** The assignment id a token was signed for, or null for a malformed or forged token. */
export function verifyUnsubscribeToken(token: string): number | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  return safeEqual(match[2], hmac(PURPOSE, match[1])) ? Number(match[1]) : null;
}

export interface UnsubscribeTarget {
  assignmentId: number;
  recipientName: string;
  roundTitle: string;
  surveyTitle: string;
  optedOutAt: string | null;
}

/** What the confirmation page shows, or null when the token is invalid or the assignment is gone. */
export async function findUnsubscribeTarget(db: Kysely<Database>, token: string): Promise<UnsubscribeTarget | null> {
  const id = verifyUnsubscribeToken(token);
  if (id === null) return null;
  const row = await db
    .selectFrom('assignments as a')
    .innerJoin('rounds as r', 'r.id', 'a.round_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.person_name', 'a.reminders_opted_out_at', 'o.name as org_name', 'r.title', 'r.survey_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    assignmentId: row.id,
    recipientName: row.person_name ?? row.org_name ?? 'er organisation',
    roundTitle: row.title,
    surveyTitle: getSurvey(row.survey_id)?.meta.title ?? row.title,
    optedOutAt: row.reminders_opted_out_at,
  };
}

/**
 * Stops the reminders of the token's assignment. Idempotent: a second click keeps the first
 * time. Returns the target, or null when the token is invalid.
 */
export async function optOutOfReminders(db: Kysely<Database>, token: string, now = new Date()): Promise<UnsubscribeTarget | null> {
  const target = await findUnsubscribeTarget(db, token);
  if (!target) return null;
  if (target.optedOutAt) return target;
  const stamp = now.toISOString();
  await inTransaction(db, async (trx) => {
    await trx.updateTable('assignments').set({ reminders_opted_out_at: stamp }).where('id', '=', target.assignmentId).where('reminders_opted_out_at', 'is', null).execute();
    await audit(trx, { actorUserId: null, action: 'assignment.reminders-opt-out', entity: 'assignment', entityId: target.assignmentId, after: { remindersOptedOutAt: stamp } });
  });
  return { ...target, optedOutAt: stamp };
}
