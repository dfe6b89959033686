import { sql, type Kysely } from 'kysely';
import { references, withId } from './helpers';

export async function up(db: Kysely<any>): Promise<void> {
  // The analysis projection: one row per submitted response and answered question (one per
  // chosen option for multiple choice), so comparisons group rows instead of parsing JSON.
  await db.schema
    .createTable('answer_values')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'integer', references('organisations', 'cascade'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('num', 'real')
    .execute();
  // Covering and ordered: a comparison counts answers per (organisation, value) in one range scan
  // (app/models/comparisons/fast.server.ts), and the general SQL joins organisations to their
  // answer without reading the table row.
  await db.schema
    .createIndex('answer_values_org_idx')
    .on('answer_values')
    .columns(['survey_id', 'question', 'organisation_id', 'value'])
    .execute();
  await db.schema.createIndex('answer_values_response_idx').on('answer_values').column('response_id').execute();
  // Members per organisation for a respondents comparison (app/models/comparisons/fast.server.ts):
  // a covering, ordered range per round instead of a row lookup and a sort per invited person.
  await db.schema.createIndex('assignments_round_org_idx').on('assignments').columns(['round_id', 'organisation_id']).execute();

  await withId(db, db.schema.createTable('grants'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('program', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('allocated_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('used_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('repaid_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('grants_org_program_year_uq', ['organisation_id', 'program', 'year'])
    .addCheckConstraint('grants_status_check', sql`status in ('ej_rekvirerat','forbrukat','aterbetalt')`)
    .addCheckConstraint('grants_amounts_check', sql`used_sek + repaid_sek = allocated_sek and used_sek >= 0 and repaid_sek >= 0`)
    .addCheckConstraint('grants_repaid_check', sql`status <> 'aterbetalt' or used_sek = 0`)
    .execute();
  await db.schema.createIndex('grants_program_year_idx').on('grants').columns(['program', 'year', 'status']).execute();
  // Covering for the per-organisation lookup of a grouping or measure: (org, program, year) → status.
  await db.schema.createIndex('grants_org_status_idx').on('grants').columns(['organisation_id', 'program', 'year', 'status']).execute();

  await withId(db, db.schema.createTable('comparisons'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('comparisons').execute();
  await db.schema.dropTable('grants').execute();
  await db.schema.dropIndex('assignments_round_org_idx').execute();
  await db.schema.dropTable('answer_values').execute();
}
