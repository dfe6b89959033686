import type { Kysely } from 'kysely';
import { inTransaction } from '../../../db/dialect';
import type { Database } from '../../../db/schema';
import { projectResponse } from '../analysis/projection.server';

/**
 * Joint reports (source 003: kommuner sharing a coordinator want to report together). In one
 * round, a lead assignment answers for member assignments. The members' own assignments are
 * "covered": not invited or reminded, not in the missing list, and counted as answered once the
 * lead has submitted. Comparisons count the lead's response once for each member: the analysis
 * projection copies the lead's rows to every member organisation (analysis.server.ts), so the
 * general and the fast comparison paths need no change and stay identical.
 */

export class JointInputError extends Error {}

/**
 * Makes `memberCodes` answer through `leadCode` in round `roundId`. Members already covered by
 * another lead, a lead that is itself a member, or organisations outside the round are refused.
 * If the lead has already submitted, its answers are projected to the members at once.
 * @example await createJointReport(db, { roundId: 7, leadCode: '2401', memberCodes: ['2403', '2404'] })
 */
export async function createJointReport(
  db: Kysely<Database>,
  input: { roundId: number; leadCode: string; memberCodes: string[]; createdBy?: number | null },
): Promise<{ leadAssignmentId: number; memberAssignmentIds: number[] }> {
  const codes = [...new Set([input.leadCode, ...input.memberCodes])];
  if (input.memberCodes.length === 0) throw new JointInputError('a joint report needs at least one member');
  if (input.memberCodes.includes(input.leadCode)) throw new JointInputError('the lead cannot also be a member');
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('assignments as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .leftJoin('joint_members as j', 'j.member_assignment_id', 'a.id')
      .select(['a.id', 'o.code', 'j.lead_assignment_id'])
      .where('a.round_id', '=', input.roundId)
      .where('a.person_email', 'is', null)
      .where('o.code', 'in', codes)
      .execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const unknown = codes.filter((c) => !byCode.has(c));
    if (unknown.length) throw new JointInputError(`not in round ${input.roundId}: ${unknown.join(', ')}`);
    const lead = byCode.get(input.leadCode)!;
    if (lead.lead_assignment_id !== null) throw new JointInputError(`${input.leadCode} is itself covered by a joint report`);
    const members = input.memberCodes.map((c) => byCode.get(c)!);
    const taken = members.filter((m) => m.lead_assignment_id !== null).map((m) => m.code);
    if (taken.length) throw new JointInputError(`already in a joint report: ${taken.join(', ')}`);
    const leads = await trx.selectFrom('joint_members').select('lead_assignment_id').where('lead_assignment_id', 'in', members.map((m) => m.id)).execute();
    if (leads.length) throw new JointInputError('a member cannot lead another joint report');
    const now = new Date().toISOString();
    await trx
      .insertInto('joint_members')
      .values(members.map((m) => ({ member_assignment_id: m.id, lead_assignment_id: lead.id, created_by: input.createdBy ?? null, created_at: now })))
      .execute();
    const response = await trx.selectFrom('responses').select(['id', 'submitted_at']).where('assignment_id', '=', lead.id).executeTakeFirst();
    if (response?.submitted_at) await projectResponse(trx, response.id);
    return { leadAssignmentId: lead.id, memberAssignmentIds: members.map((m) => m.id) };
  });
}

/**
 * The flag for comparisons: the organisations whose answers to `surveyId` come from another
 * organisation's (the lead's) response, i.e. that a comparison counts through a joint report.
 * @example const joint = await jointCountedOrganisations(db, 'oj-vinr-2019') // Set { 12, 13 }
 */
export async function jointCountedOrganisations(db: Kysely<Database>, surveyId: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('answer_values as v')
    .innerJoin('responses as r', 'r.id', 'v.response_id')
    .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
    .select('v.organisation_id')
    .distinct()
    .where('v.survey_id', '=', surveyId)
    .whereRef('v.organisation_id', '<>', 'a.organisation_id')
    .execute();
  return new Set(rows.flatMap((r) => (r.organisation_id === null ? [] : [r.organisation_id])));
}

/**
 * How many organisations answer a survey through a joint report whose lead has submitted: the
 * joint-report flag on comparisons. Reads only the small joint and assignment tables, so it adds
 * nothing noticeable to a comparison over a million answers.
 */
export async function countJointMembers(db: Kysely<Database>, surveyId: string): Promise<number> {
  const row = await db
    .selectFrom('joint_members as jm')
    .innerJoin('assignments as lead', 'lead.id', 'jm.lead_assignment_id')
    .innerJoin('rounds as r', 'r.id', 'lead.round_id')
    .innerJoin('assignments as member', 'member.id', 'jm.member_assignment_id')
    .select((eb) => eb.fn.count<number>('member.organisation_id').distinct().as('n'))
    .where('r.survey_id', '=', surveyId)
    .where('lead.status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The lead organisation a member assignment answers through, or undefined when the assignment
 * is not a member. Members' own links are read-only: a save there would replace the group's
 * answers for that organisation.
 * @example const lead = await jointLeadOf(db, ctx.assignment.id) // { assignmentId: 41, organisationName: 'Sundbyberg' }
 */
export async function jointLeadOf(db: Kysely<Database>, memberAssignmentId: number): Promise<{ assignmentId: number; organisationName: string } | undefined> {
  const row = await db
    .selectFrom('joint_members as j')
    .innerJoin('assignments as lead', 'lead.id', 'j.lead_assignment_id')
    .leftJoin('organisations as o', 'o.id', 'lead.organisation_id')
    .select(['lead.id', 'o.name'])
    .where('j.member_assignment_id', '=', memberAssignmentId)
    .executeTakeFirst();
  return row && { assignmentId: row.id, organisationName: row.name ?? 'en annan organisation' };
}
