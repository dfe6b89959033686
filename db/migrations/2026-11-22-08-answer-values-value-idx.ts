import type { Kysely } from 'kysely';

/**
 * Answers of one question ordered by value, then organisation. A respondents comparison on
 * SQLite (app/models/comparisons/fast.server.ts) finds the question's few distinct values with a
 * seek each, then counts every (value, organisation) as one index range, instead of a GROUP BY
 * that compares both columns on each of up to a million rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('answer_values_value_idx')
    .on('answer_values')
    .columns(['survey_id', 'question', 'value', 'organisation_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('answer_values_value_idx').execute();
}
