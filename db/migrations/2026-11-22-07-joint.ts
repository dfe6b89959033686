import type { Kysely } from 'kysely';
import { references } from './helpers';

/**
 * Joint reports: one row per member assignment, pointing at the lead assignment. A separate
 * table rather than groups + members: the lead assignment already names the round and the
 * group, so a group is just "the rows with this lead".
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('joint_members')
    .addColumn('member_assignment_id', 'integer', (c) => references('assignments', 'cascade')(c.primaryKey()))
    .addColumn('lead_assignment_id', 'integer', (c) => references('assignments', 'cascade')(c.notNull()))
    .addColumn('created_by', 'integer', references('users', 'set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('joint_members_lead_idx').on('joint_members').column('lead_assignment_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('joint_members').execute();
}
