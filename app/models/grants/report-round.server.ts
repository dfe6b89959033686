import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { addAssignments, createRound } from '../rounds/rounds.server';
import { getYear, GrantInputError } from './programs.server';

/**
 * The återrapportering of a grant year goes to every recipient that requested: this creates
 * that round (survey and deadline from the year), or adds the recipients who requested since.
 * Invitations and reminders are then the round's own (admin round page, job loop).
 * @example const { roundId, added } = await ensureReportRound(db, yearId, user.id)
 */
export async function ensureReportRound(db: Kysely<Database>, yearId: number, actorUserId: number | null, now = new Date()): Promise<{ roundId: number; added: number }> {
  const year = await getYear(db, yearId);
  if (!year) throw new GrantInputError('no such grant year', 'Året finns inte.');
  if (!year.report_survey_id) throw new GrantInputError('the year has no återrapportering survey', 'Året har ingen återrapporteringsenkät.');
  const requested = (
    await db.selectFrom('grant_ledger').select('organisation_id').where('grant_year_id', '=', yearId).where('requested_at', 'is not', null).execute()
  ).map((r) => r.organisation_id);
  if (requested.length === 0) throw new GrantInputError('nobody has requested yet', 'Ingen har rekvirerat ännu.');
  const title = `Återrapportering ${year.program_name} ${year.year}`;
  const existing = await db.selectFrom('rounds').select('id').where('survey_id', '=', year.report_survey_id).where('title', '=', title).executeTakeFirst();
  if (existing) {
    const have = new Set((await db.selectFrom('assignments').select('organisation_id').where('round_id', '=', existing.id).execute()).map((a) => a.organisation_id));
    const missing = requested.filter((id) => !have.has(id));
    if (missing.length) {
      await addAssignments(db, existing.id, { organisationIds: missing });
    }
    return { roundId: existing.id, added: missing.length };
  }
  const opensAt = new Date(Math.min(now.getTime(), Date.parse(year.report_deadline) - 86_400_000)).toISOString();
  const { round } = await createRound(db, { surveyId: year.report_survey_id, title, opensAt, closesAt: year.report_deadline, organisationIds: requested, createdBy: actorUserId });
  await audit(db, { actorUserId, action: 'grant.report_round', entity: 'grant_year', entityId: yearId, after: { roundId: round.id, recipients: requested.length } });
  return { roundId: round.id, added: requested.length };
}
