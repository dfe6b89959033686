import { sql, type Kysely } from 'kysely';
import { references, withId } from './helpers';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lan')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lansstyrelse', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('organisations'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lan_code', 'text', (c) => c.references('lan.code'))
    .addColumn('kommungrupp2017_code', 'text')
    .addColumn('kommungrupp2017_name', 'text')
    .addColumn('kommungrupp2023_code', 'text')
    .addColumn('kommungrupp2023_name', 'text')
    .addColumn('population', 'integer')
    .addColumn('population_year', 'integer')
    .addColumn('parent_id', 'integer', references('organisations'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'organisations_kind_check',
      sql`kind in ('kommun','region','lansstyrelse','stadsdel','organisation','myndighet')`,
    )
    .execute();

  await db.schema.createIndex('organisations_kind_idx').on('organisations').columns(['kind', 'active']).execute();
  await db.schema.createIndex('organisations_lan_idx').on('organisations').column('lan_code').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisations').execute();
  await db.schema.dropTable('lan').execute();
}
