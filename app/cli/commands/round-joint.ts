import { inTransaction } from '../../../db/dialect';
import { audit } from '../../models/auth/audit.server';
import { createJointReport, JointInputError } from '../../models/rounds/joint.server';
import { UserError, stringOption, type Command } from '../command';
import { roundIdArg } from './round-status';

export const roundJoint: Command = {
  name: 'round joint',
  summary: 'Let a group of organisations answer a round together (a joint report)',
  help: `Usage: npm run cli -- round joint <roundId> --lead <code> --members <code,code,…>

The lead organisation answers the round for itself and for the members: its one response
counts for every member in comparisons, and the members' own assignments are covered (no
invitation or reminder, not on the missing list, answered once the lead has submitted).
All organisations must be in the round; a member cannot be in two groups. Audited.

Options:
  --lead CODE       organisation code of the lead (e.g. 2401)
  --members CODES   comma-separated organisation codes of the members`,
  options: { lead: { type: 'string' }, members: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const roundId = roundIdArg(ctx.positionals[0]);
    const leadCode = stringOption(ctx, 'lead')?.trim();
    const memberCodes = (stringOption(ctx, 'members') ?? '').split(',').map((c) => c.trim()).filter(Boolean);
    if (!leadCode) throw new UserError('--lead <code> is required');
    if (memberCodes.length === 0) throw new UserError('--members <codes> is required');
    const db = ctx.db();
    try {
      await inTransaction(db, async (trx) => {
        const result = await createJointReport(trx, { roundId, leadCode, memberCodes });
        await audit(trx, { actorUserId: null, action: 'round.joint', entity: 'assignment', entityId: result.leadAssignmentId, after: { roundId, leadCode, memberCodes } });
      });
    } catch (e) {
      if (e instanceof JointInputError) throw new UserError(e.message);
      throw e;
    }
    ctx.out(`Joint report in round ${roundId}: ${leadCode} answers for ${memberCodes.join(', ')}.`);
  },
};
