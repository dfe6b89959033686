import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Assignment, Database, Db, Round } from '../../../db/schema';
import { inTransaction } from '../../../db/dialect';
import { appBaseUrl } from '~/utils/auth.server';
import { hmac } from '~/utils/secrets.server';
import { getSurvey } from '../surveys/surveys.server';


/**
 * Rounds and assignments: pure data functions. Admin routes and the CLI call these and wrap
 * them with the audit log; functions that change something return `before`/`after` rows.
 *
 * Access links. Each assignment has a random 16-byte `token_nonce`. The link token is
 * `hmac('assignment-link', `${id}.${nonce}`)` under the server secret (256 bits, base64url),
 * and only `token_hash = sha256(token)` is stored and looked up. So a stolen database does not
 * reveal links, yet the server can recompute a link for a reminder e-mail at any time
 * (`accessLink`). Rotating the nonce (`rotateAccessToken`) revokes the old link. Lookup needs
 * no secret, so sent links survive a SESSION_SECRET change, but links recomputed afterwards
 * would not match their stored hash: rotate the tokens after changing the secret.
 */

/** Thrown for input the caller should have checked (unknown survey, bad dates, etc.). */
export class RoundInputError extends Error {}


export interface PersonInvite {
  name: string;
  email: string;
  organisationId?: number | null;
}

export interface CreateRoundInput {
  surveyId: string;
  title: string;
  opensAt: string;
  closesAt: string;
  /** Days relative to closesAt, negative before; default [-14, -3, 2]. */
  reminderSchedule?: number[];
  contactText?: string | null;
  createdBy?: number | null;
  organisationIds?: number[];
  persons?: PersonInvite[];
}

export interface CreatedAssignment {
  id: number;
  organisationId: number | null;
  personEmail: string | null;
  token: string;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const nowIso = () => new Date().toISOString();

/** The link token of an assignment, recomputed from its nonce. */
export function accessToken(assignment: Pick<Assignment, 'id' | 'token_nonce'>): string {
  return hmac('assignment-link', `${assignment.id}.${assignment.token_nonce}`);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The personal link to the form, absolute (`baseUrl`, else appBaseUrl()).
 * @example accessLink(assignment) → 'https://enkatnav.example.se/svar/Xy…'
 */
export function accessLink(assignment: Pick<Assignment, 'id' | 'token_nonce'>, baseUrl?: string): string {
  return linkForToken(accessToken(assignment), baseUrl);
}

/** The form link for a token just returned by createRound/addAssignments. */
export function linkForToken(token: string, baseUrl?: string): string {
  return `${(baseUrl ?? appBaseUrl()).replace(/\/+$/, '')}/svar/${token}`;
}

/** Finds the assignment a link token belongs to; undefined for malformed or unknown tokens. */
export async function findAssignmentByToken(db: Db, token: string): Promise<Assignment | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return db.selectFrom('assignments').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
}

/** The effective deadline: the round's closes_at or the assignment's extension, whichever is later. */
export function deadlineOf(round: Pick<Round, 'closes_at'>, assignment: Pick<Assignment, 'extended_until'>): string {
  const ext = assignment.extended_until;
  return ext && Date.parse(ext) > Date.parse(round.closes_at) ? ext : round.closes_at;
}

export type RoundPhase = 'closed' | 'not_open' | 'past_deadline' | 'open';

/** Where a round as a whole stands: closed early, not open yet, past its deadline, or open. */
export function roundPhaseOf(round: Pick<Round, 'opens_at' | 'closes_at' | 'closed_at'>, now: Date = new Date()): RoundPhase {
  if (round.closed_at && Date.parse(round.closed_at) <= now.getTime()) return 'closed';
  if (Date.parse(round.opens_at) > now.getTime()) return 'not_open';
  if (Date.parse(round.closes_at) < now.getTime()) return 'past_deadline';
  return 'open';
}

export type EditState = 'not_open' | 'open' | 'closed' | 'submitted';

/**
 * Whether the respondent may edit now. A reopened response is editable even after the deadline
 * or an early close: reopening is an administrator's explicit decision for that one response.
 */
export function editStateOf(
  round: Pick<Round, 'opens_at' | 'closes_at' | 'closed_at'>,
  assignment: Pick<Assignment, 'status' | 'extended_until'>,
  now: Date = new Date(),
): EditState {
  if (assignment.status === 'submitted') return 'submitted';
  if (assignment.status === 'reopened') return 'open';
  if (round.closed_at && Date.parse(round.closed_at) <= now.getTime()) return 'closed';
  if (Date.parse(deadlineOf(round, assignment)) < now.getTime()) return 'closed';
  if (Date.parse(round.opens_at) > now.getTime()) return 'not_open';
  return 'open';
}

function checkDate(name: string, value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RoundInputError(`${name} is not a date: ${value}`);
  return new Date(t).toISOString();
}

/**
 * Creates a round and its assignments (one per organisation, or one per person for person
 * surveys) in one transaction, and returns each assignment's link token.
 * @example const { round, assignments } = await createRound(db, { surveyId: 'oj-vinr-2019', title: 'ÖJ 2019',
 *   opensAt: '2019-01-23', closesAt: '2019-03-15T23:59:59+01:00', organisationIds: [1, 2] })
 */
export async function createRound(db: Kysely<Database>, input: CreateRoundInput): Promise<{ round: Round; assignments: CreatedAssignment[] }> {
  const title = input.title.trim();
  if (!title) throw new RoundInputError('title must not be empty');
  if (!getSurvey(input.surveyId)) throw new RoundInputError(`unknown survey: ${input.surveyId}`);
  const opensAt = checkDate('opensAt', input.opensAt);
  const closesAt = checkDate('closesAt', input.closesAt);
  if (closesAt <= opensAt) throw new RoundInputError('closesAt must be after opensAt');
  const schedule = input.reminderSchedule ?? [-14, -3, 2];
  if (!schedule.every((d) => Number.isInteger(d) && Math.abs(d) <= 365)) throw new RoundInputError('reminderSchedule must be whole days');
  return inTransaction(db, async (trx) => {
    const now = nowIso();
    const round = await trx
      .insertInto('rounds')
      .values({
        survey_id: input.surveyId,
        title,
        opens_at: opensAt,
        closes_at: closesAt,
        closed_at: null,
        reminder_schedule: JSON.stringify(schedule),
        contact_text: input.contactText?.trim() || null,
        created_by: input.createdBy ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const assignments = await insertAssignments(trx, round.id, input);
    return { round, assignments };
  });
}

/**
 * Adds organisations or persons to an existing round. Organisations already in the round are
 * skipped (not an error), so pasting the same list twice is harmless.
 */
export async function addAssignments(
  db: Kysely<Database>,
  roundId: number,
  targets: { organisationIds?: number[]; persons?: PersonInvite[] },
): Promise<CreatedAssignment[]> {
  return inTransaction(db, async (trx) => {
    await trx.selectFrom('rounds').select('id').where('id', '=', roundId).executeTakeFirstOrThrow(() => new RoundInputError(`no round ${roundId}`));
    return insertAssignments(trx, roundId, targets);
  });
}

async function insertAssignments(
  trx: Transaction<Database>,
  roundId: number,
  targets: { organisationIds?: number[]; persons?: PersonInvite[] },
): Promise<CreatedAssignment[]> {
  const existing = new Set(
    (await trx.selectFrom('assignments').select('organisation_id').where('round_id', '=', roundId).where('person_email', 'is', null).execute()).map(
      (r) => r.organisation_id,
    ),
  );
  const now = nowIso();
  const rows = [
    ...[...new Set(targets.organisationIds ?? [])]
      .filter((id) => !existing.has(id))
      .map((id) => ({ organisation_id: id, person_name: null as string | null, person_email: null as string | null })),
    ...(targets.persons ?? []).map((p) => {
      const email = p.email.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new RoundInputError(`not an e-mail address: ${p.email}`);
      return { organisation_id: p.organisationId ?? null, person_name: p.name.trim() || null, person_email: email };
    }),
  ].map((r) => {
    const nonce = randomBytes(16).toString('hex');
    // The hash needs the id, which the insert gives: a unique placeholder until the update below.
    return { ...r, round_id: roundId, status: 'not_started' as const, extended_until: null, token_nonce: nonce, token_hash: `pending:${nonce}`, created_at: now, updated_at: now };
  });
  const created: CreatedAssignment[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await trx.insertInto('assignments').values(rows.slice(i, i + 500)).returning(['id', 'token_nonce', 'organisation_id', 'person_email']).execute();
    for (const a of inserted) {
      const token = accessToken(a);
      await trx.updateTable('assignments').set({ token_hash: tokenHash(token) }).where('id', '=', a.id).execute();
      created.push({ id: a.id, organisationId: a.organisation_id, personEmail: a.person_email, token });
    }
  }
  return created;
}

/** Replaces an assignment's nonce: the old link stops working. Returns the new token. */
export async function rotateAccessToken(db: Db, assignmentId: number): Promise<string> {
  const nonce = randomBytes(16).toString('hex');
  const token = accessToken({ id: assignmentId, token_nonce: nonce });
  const res = await db
    .updateTable('assignments')
    .set({ token_nonce: nonce, token_hash: tokenHash(token), updated_at: nowIso() })
    .where('id', '=', assignmentId)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new RoundInputError(`no assignment ${assignmentId}`);
  return token;
}

export async function getRound(db: Db, roundId: number): Promise<Round | undefined> {
  return db.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
}

async function updateRound(db: Kysely<Database>, roundId: number, set: Partial<Pick<Round, 'closes_at' | 'closed_at'>>) {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
    if (!before) throw new RoundInputError(`no round ${roundId}`);
    const after = await trx.updateTable('rounds').set({ ...set, updated_at: nowIso() }).where('id', '=', roundId).returningAll().executeTakeFirstOrThrow();
    return { before, after };
  });
}

/** Moves the whole round's deadline (later or earlier). */
export async function extendRound(db: Kysely<Database>, roundId: number, closesAt: string) {
  return updateRound(db, roundId, { closes_at: checkDate('closesAt', closesAt) });
}

/** Closes a round now (or at `at`): after that only reopened responses can be edited. */
export async function closeRound(db: Kysely<Database>, roundId: number, at: string = nowIso()) {
  return updateRound(db, roundId, { closed_at: checkDate('closedAt', at) });
}

/** Gives one assignment a later deadline; `null` removes the extension. */
export async function extendAssignment(db: Kysely<Database>, assignmentId: number, until: string | null) {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('assignments').selectAll().where('id', '=', assignmentId).executeTakeFirst();
    if (!before) throw new RoundInputError(`no assignment ${assignmentId}`);
    const after = await trx
      .updateTable('assignments')
      .set({ extended_until: until === null ? null : checkDate('extendedUntil', until), updated_at: nowIso() })
      .where('id', '=', assignmentId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { before, after };
  });
}
