import { runDueJobs } from '../../models/ops/jobs.server';
import type { Command } from '../command';

export const jobsRunDue: Command = {
  name: 'jobs run-due',
  summary: 'Send due reminders and deliver queued e-mail once (for cron)',
  help: `Usage: npm run cli -- jobs run-due

Does one pass of the background work that the server's job loop (JOBS=on) also does: puts due
reminders of open rounds and the automatic rekvisition reminders of grant years in the outbox, delivers queued messages through SMTP_URL (retrying
failed ones with backoff), and removes expired sessions and sign-in links. Safe to run while
app instances run their own loops: nothing is sent twice.
Example crontab line: */5 * * * * cd /srv/enkatnav && npm run cli -- jobs run-due`,
  async run(ctx) {
    const report = await runDueJobs(ctx.db());
    ctx.out(`Reminders queued: ${report.reminders.enqueued} (rounds with due steps: ${report.reminders.rounds}, already sent: ${report.reminders.alreadySent}, without address: ${report.reminders.noRecipient.length}, opted out: ${report.reminders.optedOut}).`);
    ctx.out(`Rekvisition reminders queued: ${report.grantReminders.enqueued} (grant years due: ${report.grantReminders.years}, without address: ${report.grantReminders.noAddress}).`);
    ctx.out(
      report.delivery
        ? `E-mail: ${report.delivery.sent} sent, ${report.delivery.retrying} to retry later, ${report.delivery.failed} failed for good.`
        : 'E-mail: SMTP_URL is not set; messages stay in the outbox.',
    );
    if (report.delivery?.failed) return 1;
  },
};
