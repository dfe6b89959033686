import type { Kysely } from 'kysely';

/**
 * The automatic rekvisition reminder (issue 15): `grant_years.request_reminder_days` is how many
 * days before the rekvisition deadline the job loop reminds the recipients that have not
 * answered; null turns it off. Existing years get the default, 7.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('grant_years').addColumn('request_reminder_days', 'integer', (c) => c.defaultTo(7)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('grant_years').dropColumn('request_reminder_days').execute();
}
