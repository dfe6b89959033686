import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { computeComparison } from '~/models/comparisons/compute.server';
import { parseDefinition } from '~/models/comparisons/saved.server';
import { organisationInbox } from '~/models/responses/inbox.server';
import { createJointReport, jointCountedOrganisations, JointInputError } from '~/models/rounds/joint.server';
import { remindRound } from '~/models/rounds/reminders.server';
import { listAllStatus, missingList, roundRates } from '~/models/rounds/status.server';
import { answerAndSubmit, cli, ojRound, setStatus } from '../admin/fixtures';
import { formView } from '~/models/responses/respondent-view.server';
import * as save from '~/routes/svar.$token.spara';
import * as submit from '~/routes/svar.$token.skicka';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction } from '../helpers/request';
import { fixtures } from '../respond/helpers';

const orgId = async (db: Kysely<Database>, code: string) => (await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

/** ÖJ 2019 fortbildning_vuxna among the kommuner of Stockholms län, both comparison paths. */
async function compareBothWays(db: Kysely<Database>) {
  const def = parseDefinition({
    title: 'Fortbildning',
    population: { kind: 'kommun' },
    measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' },
    groupBy: { attribute: 'lan' },
    suppressBelow: 0,
  });
  const [auto, general] = await Promise.all([computeComparison(db, def, { path: 'auto' }), computeComparison(db, def, { path: 'general' })]);
  expect(auto).toEqual(general);
  return Object.assign(auto.groups.find((g) => g.key === '01')!, { jointMembers: auto.jointMembers });
}

describe('joint reports', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('covers the members in the status view and reminders, and counts the one response for each member', async () => {
    const { round, assignments } = await ojRound(t.db);
    await setStatus(t.db, round.id, '0162', 'submitted');
    await createJointReport(t.db, { roundId: round.id, leadCode: '0180', memberCodes: ['0114', '0115'] });

    // Before the lead submits: the members are not answered, but not chased either.
    let rates = await roundRates(t.db, round.id);
    expect(rates.overall).toMatchObject({ total: 34, submitted: 1 });
    const missing = (await missingList(t.db, round.id)).map((r) => r.code);
    expect(missing).toContain('0180');
    expect(missing).not.toContain('0114');
    expect(missing).not.toContain('0115');
    const reminded = (await remindRound(t.db, round.id, { dryRun: true })).targets.map((x) => x.assignmentId);
    const memberIds = (await listAllStatus(t.db, round.id)).filter((r) => r.coveredBy).map((r) => r.assignmentId);
    expect(memberIds).toHaveLength(2);
    for (const id of memberIds) expect(reminded).not.toContain(id);

    const sthlm = await orgId(t.db, '0180');
    const leadToken = assignments.find((a) => a.organisationId === sthlm)!.token;
    await answerAndSubmit(t.db, leadToken);

    rates = await roundRates(t.db, round.id);
    // Stockholm, Upplands Väsby and Vallentuna through one response, plus Danderyd (0162) on its own.
    expect(rates.overall).toMatchObject({ total: 34, submitted: 4 });
    expect(rates.byStatus.submitted).toBe(2);
    expect(rates.byLan.find((r) => r.code === '01')).toMatchObject({ submitted: 4 });
    const rows = await listAllStatus(t.db, round.id);
    const members = rows.filter((r) => r.coveredBy);
    expect(members.map((r) => [r.code, r.status, r.coveredBy])).toEqual([
      ['0114', 'not_started', { assignmentId: expect.any(Number), name: 'Stockholm', submitted: true }],
      ['0115', 'not_started', { assignmentId: expect.any(Number), name: 'Stockholm', submitted: true }],
    ]);

    // The member's own inbox says who answers for it.
    const inbox = (await organisationInbox(t.db, await orgId(t.db, '0114')))!;
    expect(inbox.open[0].coveredBy).toEqual({ name: 'Stockholm', submitted: true });

    // Comparison: the lead's "ja" counts for Stockholm and both members, flagged; identical paths.
    const group = await compareBothWays(t.db);
    expect(group.counts.ja).toBe(3);
    expect(group.counts.nej ?? 0).toBe(0);
    expect(group.jointMembers).toBe(2);
    const flagged = await jointCountedOrganisations(t.db, 'oj-vinr-2019');
    expect([...flagged].sort()).toEqual([await orgId(t.db, '0114'), await orgId(t.db, '0115')].sort());
  });

  it('projects at once when the lead has already submitted, and refuses bad groups', async () => {
    const { round, assignments } = await ojRound(t.db);
    const sthlm = await orgId(t.db, '0180');
    await answerAndSubmit(t.db, assignments.find((a) => a.organisationId === sthlm)!.token);
    expect((await compareBothWays(t.db)).counts.ja).toBe(1);
    const bad = (memberCodes: string[], leadCode = '0180') => createJointReport(t.db, { roundId: round.id, leadCode, memberCodes });
    await expect(bad(['9999'])).rejects.toThrow(JointInputError);
    await expect(bad(['0180'])).rejects.toThrow(/lead cannot also be a member/);
    await expect(bad([])).rejects.toThrow(/at least one member/);
    await bad(['0114']);
    expect((await compareBothWays(t.db)).counts.ja).toBe(2);
    await expect(bad(['0114'], '0115')).rejects.toThrow(/already in a joint report: 0114/);
    await expect(bad(['0180'], '0115')).rejects.toThrow(/member cannot lead/);
    await expect(bad(['0115'], '0114')).rejects.toThrow(/itself covered/);
  });

  it('a member’s own link is read-only: its page names the lead, and saves and submits are refused without a trace', async () => {
    const { round, assignments } = await ojRound(t.db);
    await createJointReport(t.db, { roundId: round.id, leadCode: '0180', memberCodes: ['0114'] });
    const token = (code: string) => orgId(t.db, code).then((id) => assignments.find((a) => a.organisationId === id)!.token);
    setDb(t.db);

    const view = (await formView(t.db, await token('0114')))!;
    expect(view).toMatchObject({ state: 'joint', jointLeadName: 'Stockholm', surveyJson: null, sections: null });
    const body = { baseVersion: 0, data: fixtures['oj-vinr-2019'] };
    for (const [action, url, extra] of [
      [save.action, 'spara', { savedBy: 'Bo' }],
      [submit.action, 'skicka', { submittedBy: 'Bo' }],
    ] as const) {
      const res = (await callAction(action, `/svar/${await token('0114')}/${url}`, { params: { token: await token('0114') }, json: { ...body, ...extra } })) as Response;
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ ok: false, reason: 'joint', message: expect.stringContaining('tillsammans med Stockholm') });
    }
    const memberId = await orgId(t.db, '0114');
    const memberAssignment = assignments.find((a) => a.organisationId === memberId)!;
    expect(await t.db.selectFrom('responses').select('id').where('assignment_id', '=', memberAssignment.id).execute()).toEqual([]);

    // The lead's own link works as usual, and its answers count for the member.
    const lead = (await callAction(submit.action, `/svar/${await token('0180')}/skicka`, { params: { token: await token('0180') }, json: { ...body, submittedBy: 'Anna' } })) as Response;
    expect(lead.status).toBe(200);
    expect((await compareBothWays(t.db)).counts.ja).toBe(2);
  });

  it('round joint on the command line', async () => {
    const { round } = await ojRound(t.db);
    const ok = await cli(t, 'round', 'joint', String(round.id), '--lead', '0180', '--members', '0114, 0115');
    expect(ok).toMatchObject({ code: 0, stdout: `Joint report in round ${round.id}: 0180 answers for 0114, 0115.` });
    expect(await t.db.selectFrom('joint_members').select('member_assignment_id').execute()).toHaveLength(2);
    const wrong = await cli(t, 'round', 'joint', String(round.id), '--lead', '0180', '--members', '2401');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('not in round');
    expect((await cli(t, 'round', 'joint', String(round.id), '--lead', '0180')).stderr).toContain('--members');
  });
});
