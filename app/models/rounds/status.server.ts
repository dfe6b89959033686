import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { ASSIGNMENT_STATUSES, type AssignmentStatus, type Database } from '../../../db/schema';
import { contactsByOrganisation } from '../organisations/contacts.server';

/**
 * The response-status view of a round: rates aggregated in SQL (overall, by län, by
 * kommungrupp) and one page of assignments at a time, so a round of 10 000 assignments stays
 * fast. Kommungrupp is SKR's 2017 grouping, as on /organisationer and in the comparisons.
 */

export const STATUS_FILTERS = [...ASSIGNMENT_STATUSES, 'missing'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface StatusListFilter {
  /** An assignment status, or `missing` = everything not submitted. */
  status?: StatusFilter;
  /** Län code; `none` = assignments without a län. */
  lan?: string;
  /** Kommungrupp 2017 code; `none` = without a kommungrupp. */
  kg?: string;
}

export interface RateRow {
  /** Län or kommungrupp code; null for assignments without one. */
  code: string | null;
  name: string | null;
  total: number;
  submitted: number;
  /** Saved a draft (or reopened) but not submitted. */
  started: number;
  /** submitted / total, 0–1; 0 for an empty group. */
  rate: number;
}

export interface RoundRates {
  overall: RateRow;
  byStatus: Record<AssignmentStatus, number>;
  byLan: RateRow[];
  byKommungrupp: RateRow[];
}

export const PAGE_SIZE = 200;

type Eb = ExpressionBuilder<
  Database & { a: Database['assignments']; o: Database['organisations']; j: Database['joint_members']; lead: Database['assignments'] },
  'a' | 'o' | 'j' | 'lead'
>;

/** Answered: submitted, or covered by a joint report whose lead has submitted (app/models/rounds/joint.server.ts). */
function counts(eb: Eb) {
  return [
    eb.fn.countAll<number>().as('total'),
    eb.fn.sum<number>(eb.case().when(eb.or([eb('a.status', '=', 'submitted'), eb('lead.status', '=', 'submitted')])).then(1).else(0).end()).as('submitted'),
    eb.fn.sum<number>(eb.case().when('lead.status', '=', 'submitted').then(0).when('a.status', 'in', ['draft', 'reopened']).then(1).else(0).end()).as('started'),
  ];
}

function toRate(r: { code: string | null; name: string | null; total: number | string; submitted: number | string | null; started: number | string | null }): RateRow {
  const total = Number(r.total);
  const submitted = Number(r.submitted ?? 0);
  return { code: r.code, name: r.name, total, submitted, started: Number(r.started ?? 0), rate: total ? submitted / total : 0 };
}

function roundAssignments(db: Kysely<Database>, roundId: number) {
  return db
    .selectFrom('assignments as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('joint_members as j', 'j.member_assignment_id', 'a.id')
    .leftJoin('assignments as lead', 'lead.id', 'j.lead_assignment_id')
    .where('a.round_id', '=', roundId);
}

/**
 * Response rates of the whole round: overall, by status, by län and by kommungrupp (2017).
 * @example const { overall } = await roundRates(db, 7); overall.rate // 0.42
 */
export async function roundRates(db: Kysely<Database>, roundId: number): Promise<RoundRates> {
  const [statusRows, overallRow, lanRows, kgRows] = await Promise.all([
    roundAssignments(db, roundId).select('a.status').select((eb) => eb.fn.countAll<number>().as('n')).groupBy('a.status').execute(),
    roundAssignments(db, roundId)
      .select((eb) => counts(eb as unknown as Eb))
      .executeTakeFirstOrThrow(),
    roundAssignments(db, roundId)
      .leftJoin('lan as l', 'l.code', 'o.lan_code')
      .select(['o.lan_code as code', 'l.name as name'])
      .select((eb) => counts(eb as unknown as Eb))
      .groupBy(['o.lan_code', 'l.name'])
      .orderBy('o.lan_code')
      .execute(),
    roundAssignments(db, roundId)
      .select(['o.kommungrupp2017_code as code', 'o.kommungrupp2017_name as name'])
      .select((eb) => counts(eb as unknown as Eb))
      .groupBy(['o.kommungrupp2017_code', 'o.kommungrupp2017_name'])
      .orderBy('o.kommungrupp2017_code')
      .execute(),
  ]);
  const byStatus = Object.fromEntries(ASSIGNMENT_STATUSES.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  for (const r of statusRows) byStatus[r.status] = Number(r.n);
  // byStatus counts each assignment's own status; overall counts covered members as answered.
  const overall = toRate({ code: null, name: null, ...overallRow });
  // Groups without a code (e.g. regioner have no kommungrupp) sort last in both dialects.
  const nullsLast = (rows: RateRow[]) => [...rows.filter((r) => r.code !== null), ...rows.filter((r) => r.code === null)];
  return { overall, byStatus, byLan: nullsLast(lanRows.map(toRate)), byKommungrupp: nullsLast(kgRows.map(toRate)) };
}

function filtered(db: Kysely<Database>, roundId: number, filter: StatusListFilter) {
  let q = roundAssignments(db, roundId);
  // Members of a joint report are chased through their lead, never on the missing list.
  if (filter.status === 'missing') q = q.where('a.status', '!=', 'submitted').where('j.lead_assignment_id', 'is', null);
  else if (filter.status) q = q.where('a.status', '=', filter.status);
  if (filter.lan === 'none') q = q.where('o.lan_code', 'is', null);
  else if (filter.lan) q = q.where('o.lan_code', '=', filter.lan);
  if (filter.kg === 'none') q = q.where('o.kommungrupp2017_code', 'is', null);
  else if (filter.kg) q = q.where('o.kommungrupp2017_code', '=', filter.kg);
  return q;
}

export interface StatusRow {
  assignmentId: number;
  status: AssignmentStatus;
  extendedUntil: string | null;
  organisationId: number | null;
  code: string | null;
  name: string;
  lanCode: string | null;
  kommungrupp: string | null;
  personEmail: string | null;
  lastSavedAt: string | null;
  lastSavedBy: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
  /** Reminder messages in the outbox for this assignment (queued or sent). */
  reminders: number;
  /** Set for a member of a joint report: the lead that answers for it, and whether it has submitted. */
  coveredBy: { assignmentId: number; name: string | null; submitted: boolean } | null;
  contacts: { name: string; email: string; role: string | null }[];
}

/** Rows in list order (organisation code, then person name), with contacts and reminder counts. */
async function statusRows(db: Kysely<Database>, roundId: number, filter: StatusListFilter, limit?: number, offset = 0): Promise<StatusRow[]> {
  let q = filtered(db, roundId, filter)
    .leftJoin('responses as r', 'r.assignment_id', 'a.id')
    .leftJoin('organisations as lo', 'lo.id', 'lead.organisation_id')
    .select([
      'j.lead_assignment_id',
      'lead.status as lead_status',
      'lo.name as lead_name',
      'a.id',
      'a.status',
      'a.extended_until',
      'a.person_name',
      'a.person_email',
      'o.id as organisation_id',
      'o.code',
      'o.name',
      'o.lan_code',
      'o.kommungrupp2017_code',
      'r.last_saved_at',
      'r.last_saved_by',
      'r.submitted_at',
      'r.submitted_by',
    ])
    .orderBy(sql`coalesce(o.code, '')`)
    .orderBy(sql`coalesce(a.person_name, '')`)
    .orderBy('a.id');
  if (limit !== undefined) q = q.limit(limit).offset(offset);
  const rows = await q.execute();
  // Reminder counts and contacts are fetched for the rows shown only, after sorting and paging:
  // a correlated subquery in the select list would run for every row the sort has to see.
  const [contacts, reminders] = await Promise.all([
    contactsByOrganisation(db, rows.flatMap((r) => (r.organisation_id ? [r.organisation_id] : []))),
    reminderCounts(db, rows.map((r) => r.id)),
  ]);
  return rows.map((r) => ({
    assignmentId: r.id,
    status: r.status,
    extendedUntil: r.extended_until,
    organisationId: r.organisation_id,
    code: r.code,
    name: r.person_name ?? r.name ?? r.person_email ?? '–',
    lanCode: r.lan_code,
    kommungrupp: r.kommungrupp2017_code,
    personEmail: r.person_email,
    lastSavedAt: r.last_saved_at,
    lastSavedBy: r.last_saved_by,
    submittedAt: r.submitted_at,
    submittedBy: r.submitted_by,
    reminders: reminders.get(r.id) ?? 0,
    coveredBy: r.lead_assignment_id === null ? null : { assignmentId: r.lead_assignment_id, name: r.lead_name, submitted: r.lead_status === 'submitted' },
    contacts: (r.organisation_id ? (contacts.get(r.organisation_id) ?? []) : []).map((c) => ({ name: c.name, email: c.email, role: c.role })),
  }));
}

/** Reminders in the outbox (queued or sent, not failed) per assignment id. */
async function reminderCounts(db: Kysely<Database>, assignmentIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (let i = 0; i < assignmentIds.length; i += 500) {
    const rows = await db
      .selectFrom('outbox')
      .select('assignment_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assignment_id', 'in', assignmentIds.slice(i, i + 500))
      .where('kind', '=', 'reminder')
      .where('status', '<>', 'failed')
      .groupBy('assignment_id')
      .execute();
    for (const r of rows) counts.set(Number(r.assignment_id), Number(r.n));
  }
  return counts;
}

/**
 * One page (PAGE_SIZE rows) of a round's assignments matching the filter, and the match count.
 * @example await listStatusPage(db, 7, { status: 'missing', lan: '01' }, 1)
 */
export async function listStatusPage(db: Kysely<Database>, roundId: number, filter: StatusListFilter, page = 1) {
  const countRow = await filtered(db, roundId, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(countRow.n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await statusRows(db, roundId, filter, PAGE_SIZE, (current - 1) * PAGE_SIZE);
  return { rows, total, page: current, pages };
}

/** Every assignment matching the filter (no paging): for exports and the CLI. */
export function listAllStatus(db: Kysely<Database>, roundId: number, filter: StatusListFilter = {}) {
  return statusRows(db, roundId, filter);
}

/** The missing list: not submitted, optionally narrowed by län/kommungrupp, with contacts. */
export function missingList(db: Kysely<Database>, roundId: number, filter: Omit<StatusListFilter, 'status'> = {}) {
  return statusRows(db, roundId, { ...filter, status: 'missing' });
}

/** How many invitations and reminders of a round are in the outbox, by delivery status. */
export async function roundMailCounts(db: Kysely<Database>, roundId: number) {
  const rows = await db
    .selectFrom('outbox as m')
    .innerJoin('assignments as a', 'a.id', 'm.assignment_id')
    .select(['m.kind', 'm.status'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.round_id', '=', roundId)
    .where('m.kind', 'in', ['invitation', 'reminder'])
    .groupBy(['m.kind', 'm.status'])
    .execute();
  const counts = { invitation: { queued: 0, sent: 0, failed: 0 }, reminder: { queued: 0, sent: 0, failed: 0 } };
  for (const r of rows) {
    const bucket = counts[r.kind as 'invitation' | 'reminder'];
    const status = r.status === 'sending' ? 'queued' : r.status;
    bucket[status] += Number(r.n);
  }
  return counts;
}
