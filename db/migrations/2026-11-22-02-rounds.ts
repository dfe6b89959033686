import { sql, type Kysely } from 'kysely';
import { references, withId } from './helpers';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('rounds'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('reminder_schedule', 'text', (c) => c.notNull().defaultTo('[-14,-3,2]'))
    .addColumn('contact_text', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rounds_survey_idx').on('rounds').column('survey_id').execute();

  await withId(db, db.schema.createTable('assignments'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', references('organisations'))
    .addColumn('person_name', 'text')
    .addColumn('person_email', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('not_started'))
    .addColumn('extended_until', 'text')
    .addColumn('token_nonce', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('assignments_status_check', sql`status in ('not_started','draft','submitted','reopened')`)
    .execute();
  await db.schema.createIndex('assignments_round_status_idx').on('assignments').columns(['round_id', 'status']).execute();
  await db.schema.createIndex('assignments_org_idx').on('assignments').column('organisation_id').execute();
  // One assignment per organisation and round, except for person surveys (organisation may repeat).
  await sql`create unique index assignments_round_org_uq on assignments (round_id, organisation_id) where person_email is null`.execute(db);

  await withId(db, db.schema.createTable('responses'))
    .addColumn('assignment_id', 'integer', (c) => c.notNull().unique().references('assignments.id').onDelete('cascade'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prefilled_keys', 'text')
    .addColumn('last_saved_at', 'text')
    .addColumn('last_saved_by', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_email', 'text')
    .addColumn('reference', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('responses_survey_idx').on('responses').column('survey_id').execute();

  await withId(db, db.schema.createTable('response_revisions'))
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addUniqueConstraint('response_revisions_version_uq', ['response_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_revisions').execute();
  await db.schema.dropTable('responses').execute();
  await db.schema.dropTable('assignments').execute();
  await db.schema.dropTable('rounds').execute();
}
