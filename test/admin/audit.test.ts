import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '~/models/auth/audit.server';
import { ensureResponse, loadRespondentContext } from '~/models/responses/responses.server';
import { submitResponse } from '~/models/responses/submit.server';
import { closeRoundAudited, extendRoundAudited } from '~/models/rounds/admin.server';
import { reopenResponseAudited, restoreRevisionAudited } from '~/models/responses/reopen.server';
import { freshDb, type TestDb } from '../helpers/db';
import { fixtures, openRound } from '../respond/helpers';

const actor = { id: null, label: 'admin@test.se' };

describe('administrators’ changes and their audit entries commit together', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  /** Makes every audit insert fail, the way a full disk or a lost connection would mid-change. */
  const breakAuditLog = () => sql`alter table audit_log rename to audit_log_away`.execute(t.db);
  const mendAuditLog = () => sql`alter table audit_log_away rename to audit_log`.execute(t.db);

  async function submitted() {
    const { round, assignments } = await openRound(t.db, 'oj-vinr-2019', ['0180']);
    const ctx = (await loadRespondentContext(t.db, assignments[0].token))!;
    const response = await ensureResponse(t.db, ctx);
    const result = await submitResponse(t.db, { ...ctx, response }, { baseVersion: response.version, data: fixtures['oj-vinr-2019'], submittedBy: 'Anna' });
    expect(result.ok).toBe(true);
    return { round, assignmentId: assignments[0].id, responseId: response.id };
  }

  it('writes the change and its entry', async () => {
    const { round, assignmentId, responseId } = await submitted();
    await extendRoundAudited(t.db, round.id, '2031-01-31', actor, 'sjukdom');
    await reopenResponseAudited(t.db, assignmentId, 'fel belopp', actor);
    await restoreRevisionAudited(t.db, responseId, 1, actor);
    await closeRoundAudited(t.db, round.id, actor);
    const actions = (await listAudit(t.db)).map((e) => e.action).sort();
    expect(actions).toEqual(['response.reopen', 'response.restore', 'round.close', 'round.extend']);
  });

  it('leaves the data unchanged when the audit entry cannot be written', async () => {
    const { round, assignmentId, responseId } = await submitted();
    const before = await t.db.selectFrom('rounds').select(['closes_at', 'closed_at']).where('id', '=', round.id).executeTakeFirstOrThrow();
    const revisionsBefore = await t.db.selectFrom('response_revisions').select('version').where('response_id', '=', responseId).execute();
    await breakAuditLog();
    await expect(extendRoundAudited(t.db, round.id, '2031-01-31', actor)).rejects.toThrow();
    await expect(closeRoundAudited(t.db, round.id, actor)).rejects.toThrow();
    await expect(reopenResponseAudited(t.db, assignmentId, 'fel belopp', actor)).rejects.toThrow();
    await mendAuditLog();

    expect(await t.db.selectFrom('rounds').select(['closes_at', 'closed_at']).where('id', '=', round.id).executeTakeFirstOrThrow()).toEqual(before);
    const assignment = await t.db.selectFrom('assignments').select('status').where('id', '=', assignmentId).executeTakeFirstOrThrow();
    expect(assignment.status).toBe('submitted');
    expect(await t.db.selectFrom('response_revisions').select('version').where('response_id', '=', responseId).execute()).toEqual(revisionsBefore);

    // A restore refused for want of an audit entry leaves no new revision either.
    await reopenResponseAudited(t.db, assignmentId, 'fel belopp', actor);
    const reopened = await t.db.selectFrom('response_revisions').select('version').where('response_id', '=', responseId).execute();
    await breakAuditLog();
    await expect(restoreRevisionAudited(t.db, responseId, 1, actor)).rejects.toThrow();
    await mendAuditLog();
    expect(await t.db.selectFrom('response_revisions').select('version').where('response_id', '=', responseId).execute()).toEqual(reopened);
  });
});
