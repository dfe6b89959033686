import type { Kysely } from 'kysely';
import { references } from './helpers';

/**
 * Survey versions made in the browser (or with `survey publish`): drafts and published
 * versions. The files in surveys/ stay the built-in set; a published row is read beside them.
 * `id` is the survey id (`<family>-<year>`), the same namespace as the files.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .addColumn('survey', 'text', (c) => c.notNull())
    .addColumn('based_on', 'text')
    .addColumn('created_by', 'integer', references('users', 'set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'integer', references('users', 'set null'))
    .addColumn('published_at', 'text')
    .execute();
  await db.schema.createIndex('survey_versions_family_idx').on('survey_versions').columns(['family', 'year']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_versions').execute();
}
