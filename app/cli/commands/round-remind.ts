import { remindRound } from '../../models/rounds/reminders.server';
import { getRound } from '../../models/rounds/rounds.server';
import { UserError, type Command } from '../command';
import { roundIdArg } from './round-status';

export const roundRemind: Command = {
  name: 'round remind',
  summary: 'Send a reminder now to every assignment of a round that is not submitted',
  help: `Usage: npm run cli -- round remind <roundId> [--dry-run]

Puts a reminder in the outbox for every assignment of the round that is not submitted, to the
organisation's contacts (or the invited person). At most one such manual reminder per
assignment and day: running it twice the same day sends nothing new. The outbox delivers them
(SMTP_URL), or keeps them for the admin outbox page.

Options:
  --dry-run  only list who would get a reminder (and who has no address); send nothing`,
  options: { 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const roundId = roundIdArg(ctx.positionals[0]);
    const db = ctx.db();
    const round = await getRound(db, roundId);
    if (!round) throw new UserError(`No round with id ${roundId}`);
    const dryRun = Boolean(ctx.values['dry-run']);
    const report = await remindRound(db, roundId, { dryRun });
    if (dryRun) {
      for (const t of report.targets) ctx.out(`${t.assignmentId}\t${t.recipientName}\t${t.to.length ? t.to.join(', ') : '(no address)'}`);
      ctx.err(`Dry run: ${report.targets.length - report.noRecipient.length} of ${report.targets.length} missing assignments would get a reminder; ${report.noRecipient.length} have no address; ${report.optedOut} opted out of reminders.`);
      return;
    }
    ctx.out(`Queued ${report.enqueued} reminder(s); ${report.alreadySent} already reminded today; ${report.noRecipient.length} without an address; ${report.optedOut} opted out of reminders.`);
    if (report.noRecipient.length) {
      const names = new Map(report.targets.map((t) => [t.assignmentId, t.recipientName]));
      ctx.err(`No address (add contacts with \`contacts import\`): ${report.noRecipient.map((id) => names.get(id) ?? id).join(', ')}`);
    }
  },
};
