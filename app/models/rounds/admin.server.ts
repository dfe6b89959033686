import type { Kysely } from 'kysely';
import { inTransaction } from '../../../db/dialect';
import type { Database, OrganisationKind } from '../../../db/schema';
import { readTabular } from '~/utils/tabular.server';
import { audit, type Actor } from '../auth/audit.server';
import { closeRound, createRound, extendAssignment, extendRound, type CreateRoundInput } from './rounds.server';

/**
 * The administrator's side of rounds: choosing targets, parsing pasted codes and persons,
 * default dates, the rounds overview, and audited wrappers around the rounds model
 * (app/models/rounds/rounds.server.ts), which stays free of audit concerns.
 */

export interface TargetChoice {
  kind?: OrganisationKind;
  lan?: string[];
  kg?: string[];
  /** Organisation codes pasted or uploaded; when given, they alone decide the targets. */
  codes?: string[];
}

export interface TargetSelection {
  organisations: { id: number; code: string; name: string }[];
  unknownCodes: string[];
}

/**
 * The organisations a round would go to: by codes, or by kind narrowed by län and kommungrupp.
 * @example await selectTargets(db, { kind: 'kommun', lan: ['01', '03'] }) // 34 kommuner
 */
export async function selectTargets(db: Kysely<Database>, choice: TargetChoice): Promise<TargetSelection> {
  let q = db.selectFrom('organisations').select(['id', 'code', 'name']).where('active', '=', 1);
  if (choice.codes?.length) {
    const rows = await q.where('code', 'in', choice.codes).orderBy('code').execute();
    const found = new Set(rows.map((r) => r.code));
    return { organisations: rows, unknownCodes: choice.codes.filter((c) => !found.has(c)) };
  }
  if (!choice.kind) return { organisations: [], unknownCodes: [] };
  q = q.where('kind', '=', choice.kind);
  if (choice.lan?.length) q = q.where('lan_code', 'in', choice.lan);
  if (choice.kg?.length) q = q.where('kommungrupp2017_code', 'in', choice.kg);
  return { organisations: await q.orderBy('code').execute(), unknownCodes: [] };
}

const CODE_HEADERS = new Set(['org', 'kod', 'code', 'kommunkod', 'organisation']);

/**
 * Organisation codes from pasted text or a one-column file: split on commas, semicolons and
 * whitespace; quotes and a header word are dropped; 3-digit kommun codes get their leading zero
 * back (spreadsheets eat it). Order kept, duplicates removed.
 * @example parseCodes('0114, 0115\n180') // ['0114', '0115', '0180']
 */
export function parseCodes(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const token = raw.replace(/^["']|["']$/g, '').trim();
    if (!token || CODE_HEADERS.has(token.toLowerCase())) continue;
    const code = /^\d{3}$/.test(token) ? `0${token}` : token;
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

/**
 * Organisation codes from an uploaded CSV/XLSX: the column named org/kod/code/kommunkod when
 * there is one, else every cell of a one-column file (which may have no header at all).
 */
export async function codesFromFile(buffer: Buffer, fileName: string): Promise<string[]> {
  const table = await readTabular(buffer, fileName);
  const column = table.headers.find((h) => CODE_HEADERS.has(h.trim().toLowerCase()));
  if (column) return parseCodes(table.rows.map((r) => r.cells[column] ?? '').join('\n'));
  return parseCodes([table.headers[0] ?? '', ...table.rows.map((r) => r.cells[table.headers[0]] ?? '')].join('\n'));
}

/**
 * Why these targets do not fit the survey's audience, or undefined when they do: an ÖJ survey
 * (kommun, stadsdel) cannot go to a region, and a person survey needs persons.
 */
export async function audienceProblem(
  db: Kysely<Database>,
  audience: OrganisationKind[] | 'person',
  organisationIds: number[],
): Promise<{ kinds: OrganisationKind[]; count: number } | undefined> {
  if (audience === 'person' || organisationIds.length === 0) return undefined;
  const wrong = new Map<OrganisationKind, number>();
  for (let i = 0; i < organisationIds.length; i += 500) {
    const rows = await db
      .selectFrom('organisations')
      .select('kind')
      .where('id', 'in', organisationIds.slice(i, i + 500))
      .where('kind', 'not in', audience)
      .execute();
    for (const r of rows) wrong.set(r.kind, (wrong.get(r.kind) ?? 0) + 1);
  }
  if (wrong.size === 0) return undefined;
  return { kinds: [...wrong.keys()], count: [...wrong.values()].reduce((a, b) => a + b, 0) };
}

/** Reminder days relative to the deadline from text like "-14, -3, 2"; undefined when invalid. */
export function parseSchedule(text: string): number[] | undefined {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const days = parts.map((p) => Number(p.replace('−', '-')));
  if (!days.every((d) => Number.isInteger(d) && Math.abs(d) <= 365)) return undefined;
  return [...new Set(days)].sort((a, b) => a - b);
}

export const DEFAULT_SCHEDULE = [-14, -3, 2];

/** The UTC instant of a Stockholm wall-clock time on a date (handles summer time). */
export function stockholmTime(date: string, time: string): string {
  for (const offset of ['+01:00', '+02:00']) {
    const d = new Date(`${date}T${time}${offset}`);
    const local = d.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', hour12: false });
    if (local.startsWith(date) && local.includes(time.slice(0, 5))) return d.toISOString();
  }
  return new Date(`${date}T${time}+01:00`).toISOString();
}

/**
 * A date or timestamp typed by an admin, as ISO. A plain date means the start of that day in
 * Stockholm for an opening date and the end of it (23:59:59) for a deadline.
 */
export function parseAdminDate(value: string, edge: 'start' | 'end'): string | undefined {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    if (Number.isNaN(Date.parse(v))) return undefined;
    return stockholmTime(v, edge === 'start' ? '00:00:00' : '23:59:59');
  }
  const t = Date.parse(v);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(v) ? undefined : new Date(t).toISOString();
}

/**
 * The default deadline for a survey with `defaultDeadline` MM-DD: the first such date on or
 * after the opening date, as YYYY-MM-DD.
 * @example defaultDeadlineDate('03-15', '2019-01-23') // '2019-03-15'
 */
export function defaultDeadlineDate(mmdd: string | undefined, opensOn: string): string | undefined {
  if (!mmdd || !/^\d{2}-\d{2}$/.test(mmdd) || !/^\d{4}-\d{2}-\d{2}/.test(opensOn)) return undefined;
  const year = Number(opensOn.slice(0, 4));
  const candidate = `${year}-${mmdd}`;
  return candidate >= opensOn.slice(0, 10) ? candidate : `${year + 1}-${mmdd}`;
}

/**
 * Rounds with their assignment and submitted counts, aggregated in SQL: the admin overview and
 * the API's round list add their own order and page.
 */
export function roundsWithCounts(db: Kysely<Database>) {
  return db
    .selectFrom('rounds as r')
    .leftJoin('assignments as a', 'a.round_id', 'r.id')
    .select(['r.id', 'r.survey_id', 'r.title', 'r.opens_at', 'r.closes_at', 'r.closed_at'])
    .select((eb) => [
      eb.fn.count<number>('a.id').as('total'),
      eb.fn.sum<number>(eb.case().when('a.status', '=', 'submitted').then(1).else(0).end()).as('submitted'),
    ])
    .groupBy(['r.id', 'r.survey_id', 'r.title', 'r.opens_at', 'r.closes_at', 'r.closed_at']);
}

/** All rounds, newest first, with assignment and submitted counts. */
export async function listRoundsOverview(db: Kysely<Database>) {
  const rows = await roundsWithCounts(db).orderBy('r.id', 'desc').execute();
  return rows.map((r) => ({ ...r, total: Number(r.total), submitted: Number(r.submitted ?? 0) }));
}

// The administrators' changes below each commit together with their audit entry, so the log and
// the data never disagree, even after a crash between the two.

/** createRound, audited as `round.create`. */
export async function createRoundAudited(db: Kysely<Database>, input: CreateRoundInput, actor: Actor) {
  return inTransaction(db, async (trx) => {
    const created = await createRound(trx, { ...input, createdBy: actor.id });
    await audit(trx, { actorUserId: actor.id, action: 'round.create', entity: 'round', entityId: created.round.id, after: { ...created.round, assignments: created.assignments.length } });
    return created;
  });
}

export async function extendRoundAudited(db: Kysely<Database>, roundId: number, closesAt: string, actor: Actor, reason?: string) {
  return inTransaction(db, async (trx) => {
    const { before, after } = await extendRound(trx, roundId, closesAt);
    await audit(trx, { actorUserId: actor.id, action: 'round.extend', entity: 'round', entityId: roundId, before: { closes_at: before.closes_at }, after: { closes_at: after.closes_at }, reason });
    return after;
  });
}

export async function closeRoundAudited(db: Kysely<Database>, roundId: number, actor: Actor, reason?: string) {
  return inTransaction(db, async (trx) => {
    const { before, after } = await closeRound(trx, roundId);
    await audit(trx, { actorUserId: actor.id, action: 'round.close', entity: 'round', entityId: roundId, before: { closed_at: before.closed_at }, after: { closed_at: after.closed_at }, reason });
    return after;
  });
}

export async function extendAssignmentAudited(db: Kysely<Database>, assignmentId: number, until: string | null, actor: Actor, reason?: string) {
  return inTransaction(db, async (trx) => {
    const { before, after } = await extendAssignment(trx, assignmentId, until);
    const change = { before: { extended_until: before.extended_until }, after: { extended_until: after.extended_until } };
    await audit(trx, { actorUserId: actor.id, action: 'assignment.extend', entity: 'assignment', entityId: assignmentId, ...change, reason });
    return after;
  });
}

/** One assignment with its round, organisation and response: for the per-assignment admin page. */
export async function getAssignmentDetail(db: Kysely<Database>, roundId: number, assignmentId: number) {
  return db
    .selectFrom('assignments as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('responses as r', 'r.assignment_id', 'a.id')
    .select([
      'a.id',
      'a.round_id',
      'a.status',
      'a.extended_until',
      'a.person_name',
      'a.person_email',
      'a.organisation_id',
      'o.code',
      'o.name',
      'r.id as response_id',
      'r.last_saved_at',
      'r.last_saved_by',
      'r.submitted_at',
      'r.submitted_by',
      'r.reference',
    ])
    .where('a.id', '=', assignmentId)
    .where('a.round_id', '=', roundId)
    .executeTakeFirst();
}
