import type { Kysely } from 'kysely';

/**
 * Mail headers and reminder opt-out (issue 17, section 4).
 * - `outbox.headers`: JSON object of extra headers for one message, e.g. `List-Unsubscribe`.
 * - `assignments.reminders_opted_out_at`: set when a recipient follows the unsubscribe link of
 *   an invitation or reminder; the reminder job then skips the assignment for that round.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('headers', 'text').execute();
  await db.schema.alterTable('assignments').addColumn('reminders_opted_out_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assignments').dropColumn('reminders_opted_out_at').execute();
  await db.schema.alterTable('outbox').dropColumn('headers').execute();
}
