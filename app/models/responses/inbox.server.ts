import type { Kysely } from 'kysely';
import type { AssignmentStatus, Database, Organisation, User } from '../../../db/schema';
import { eventUid, serializeCalendar } from '~/utils/ical';
import { hmac, safeEqual } from '~/utils/secrets.server';
import { accessLink, deadlineOf } from '../rounds/rounds.server';
import { getSurvey } from '../surveys/surveys.server';
import { getUserById } from '../auth/users.server';

/**
 * The organisation's inbox (/min-organisation): every assignment of one organisation across all
 * rounds, with deadlines and links, and the same deadlines as an iCalendar feed.
 *
 * Person assignments (named people invited to a stakeholder survey) are left out: their links
 * belong to that person, not to everyone at the organisation.
 */

export const INBOX_STATUS_LABELS: Record<AssignmentStatus, string> = {
  not_started: 'Inte påbörjad',
  draft: 'Utkast',
  submitted: 'Inskickad',
  reopened: 'Återöppnad',
};

export interface InboxItem {
  assignmentId: number;
  roundId: number;
  roundTitle: string;
  surveyId: string;
  surveyTitle: string;
  opensAt: string;
  /** The effective deadline: the round's, or the assignment's extension when later. */
  deadline: string;
  extended: boolean;
  status: AssignmentStatus;
  /** The status in Swedish, for the page and the calendar (labels live here: the page's bundle cannot import this module). */
  statusLabel: string;
  lastSavedAt: string | null;
  lastSavedBy: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
  reference: string | null;
  formLink: string;
  /** Set once the response has been submitted at least once. */
  receiptLink: string | null;
  /** A joint report answers for this organisation: the lead's name and whether it has submitted. */
  coveredBy: { name: string; submitted: boolean } | null;
  /** Open: the deadline has not passed and the round is not closed, or it was reopened. */
  open: boolean;
  /** Latest change of the round or assignment: the DTSTAMP of its calendar event. */
  changedAt: string;
}

export interface Inbox {
  organisation: Pick<Organisation, 'id' | 'code' | 'name'>;
  open: InboxItem[];
  past: InboxItem[];
}

/**
 * The inbox of one organisation: open assignments by deadline (soonest first), then past ones
 * (latest first). Links are absolute, on `baseUrl`.
 * @example const inbox = await organisationInbox(db, user.organisation_id, { baseUrl: 'https://enkatnav.example.se' })
 */
export async function organisationInbox(db: Kysely<Database>, organisationId: number, options: { baseUrl?: string; now?: Date } = {}): Promise<Inbox | undefined> {
  const organisation = await db.selectFrom('organisations').select(['id', 'code', 'name']).where('id', '=', organisationId).executeTakeFirst();
  if (!organisation) return undefined;
  const now = (options.now ?? new Date()).getTime();
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('rounds as r', 'r.id', 'a.round_id')
    .leftJoin('responses as s', 's.assignment_id', 'a.id')
    .leftJoin('joint_members as j', 'j.member_assignment_id', 'a.id')
    .leftJoin('assignments as lead', 'lead.id', 'j.lead_assignment_id')
    .leftJoin('organisations as lo', 'lo.id', 'lead.organisation_id')
    .select([
      'lo.name as lead_name',
      'lead.status as lead_status',
      'a.id',
      'a.token_nonce',
      'a.status',
      'a.extended_until',
      'a.updated_at as assignment_updated_at',
      'r.id as round_id',
      'r.title',
      'r.survey_id',
      'r.opens_at',
      'r.closes_at',
      'r.closed_at',
      'r.updated_at as round_updated_at',
      's.last_saved_at',
      's.last_saved_by',
      's.submitted_at',
      's.submitted_by',
      's.reference',
    ])
    .where('a.organisation_id', '=', organisationId)
    .where('a.person_email', 'is', null)
    .execute();
  const items = rows.map((row): InboxItem => {
    const deadline = deadlineOf(row, row);
    const closed = Boolean(row.closed_at && Date.parse(row.closed_at) <= now) || Date.parse(deadline) < now;
    const formLink = accessLink({ id: row.id, token_nonce: row.token_nonce }, options.baseUrl);
    return {
      assignmentId: row.id,
      roundId: row.round_id,
      roundTitle: row.title,
      surveyId: row.survey_id,
      surveyTitle: getSurvey(row.survey_id)?.meta.title ?? row.survey_id,
      opensAt: row.opens_at,
      deadline,
      extended: deadline !== row.closes_at,
      status: row.status,
      statusLabel: INBOX_STATUS_LABELS[row.status],
      lastSavedAt: row.last_saved_at ?? null,
      lastSavedBy: row.last_saved_by ?? null,
      submittedAt: row.submitted_at ?? null,
      submittedBy: row.submitted_by ?? null,
      reference: row.reference ?? null,
      formLink,
      receiptLink: row.submitted_at ? `${formLink}/kvittens` : null,
      coveredBy: row.lead_name ? { name: row.lead_name, submitted: row.lead_status === 'submitted' } : null,
      open: row.status === 'reopened' || !closed,
      changedAt: row.assignment_updated_at > row.round_updated_at ? row.assignment_updated_at : row.round_updated_at,
    };
  });
  const byDeadline = (a: InboxItem, b: InboxItem) => Date.parse(a.deadline) - Date.parse(b.deadline) || a.assignmentId - b.assignmentId;
  return {
    organisation,
    open: items.filter((i) => i.open).sort(byDeadline),
    past: items.filter((i) => !i.open).sort((a, b) => byDeadline(b, a)),
  };
}

/**
 * The secret of a user's calendar feed URL (calendar apps send no cookies): `<userId>.<hmac>`.
 * It is derived, not stored, so it cannot be revoked on its own: deactivating the user, or
 * changing SESSION_SECRET, stops it.
 */
export function feedToken(userId: number): string {
  return `${userId}.${hmac('ical', String(userId))}`;
}

/** The active respondent user a feed token belongs to, or undefined for anything else. */
export async function userForFeedToken(db: Kysely<Database>, token: string): Promise<User | undefined> {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const userId = Number(match[1]);
  if (!safeEqual(feedToken(userId), token)) return undefined;
  const user = await getUserById(db, userId);
  return user && user.active === 1 && user.role === 'respondent' && user.organisation_id !== null ? user : undefined;
}

/** The Swedish calendar day (Europe/Stockholm) of an instant, `YYYY-MM-DD`. */
export function stockholmDay(iso: string): string {
  return new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

/**
 * The inbox's deadlines as an iCalendar feed: one all-day event per assignment on its deadline
 * day. `baseUrl` is the installation's (APP_URL): its host makes the UIDs unique across installations.
 */
export function inboxCalendar(inbox: Inbox, baseUrl: string): string {
  return serializeCalendar({
    prodId: '-//Enkätnav//Sista svarsdagar//SV',
    name: `Enkätnav: ${inbox.organisation.name}`,
    events: [...inbox.open, ...inbox.past].map((item) => ({
      uid: eventUid(`assignment-${item.assignmentId}`, baseUrl),
      date: stockholmDay(item.deadline),
      summary: `Sista svarsdag: ${item.roundTitle}`,
      description: `${item.surveyTitle}\nStatus: ${item.statusLabel}\nFormulär: ${item.formLink}`,
      url: item.formLink,
      stamp: new Date(item.changedAt),
    })),
  });
}
