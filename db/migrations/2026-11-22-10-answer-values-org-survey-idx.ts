import type { Kysely } from 'kysely';

/**
 * A submit replaces its organisation's earlier rows of the survey (app/models/analysis/projection.server.ts
 * projectResponse): `where survey_id = ? and organisation_id = ?`. The other indexes put the
 * question between the two, so that delete scanned every answer of the survey, a million rows
 * in a big person survey, on every submit. This index makes it a seek.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('answer_values_org_survey_idx').on('answer_values').columns(['organisation_id', 'survey_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('answer_values_org_survey_idx').execute();
}
