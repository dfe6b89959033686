import type { Kysely } from 'kysely';
import { inTransaction } from '../../../db/dialect';
import type { Database } from '../../../db/schema';
import { audit, type Actor } from '../auth/audit.server';
import { reopenResponse, restoreRevision } from './history.server';

/** The administrator's changes to a response (reopen, restore a revision), each with its audit row. */

export async function reopenResponseAudited(db: Kysely<Database>, assignmentId: number, reason: string, actor: Actor) {
  return inTransaction(db, async (trx) => {
    const { before, after } = await reopenResponse(trx, assignmentId, { by: actor.label, reason });
    await audit(trx, { actorUserId: actor.id, action: 'response.reopen', entity: 'assignment', entityId: assignmentId, before: { status: before.status }, after: { status: after.status }, reason });
    return after;
  });
}

export async function restoreRevisionAudited(db: Kysely<Database>, responseId: number, version: number, actor: Actor, reason?: string) {
  return inTransaction(db, async (trx) => {
    const result = await restoreRevision(trx, responseId, version, actor.label);
    await audit(trx, { actorUserId: actor.id, action: 'response.restore', entity: 'response', entityId: responseId, before: result.before, after: { ...result.after, restoredVersion: version }, reason });
    return result;
  });
}
