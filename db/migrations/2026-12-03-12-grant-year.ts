import { sql, type Kysely } from 'kysely';
import { references, withId } from './helpers';

/**
 * The grant year in the platform (issue 15). `grant_programs` and `grant_years` describe a
 * programme and one year of it for one kind of recipient (kommuner, regioner or organisations):
 * total, allocation rule, deadlines and the återrapportering survey that reports on it.
 * `grant_ledger` holds one row per recipient and year: the allocation with its basis, the
 * rekvisition (signed by a named person), payment, the reported use, repayment, reclaim and
 * review, each with its date. The derived status is written back to `grants`, which stays the
 * ledger of record that comparisons read (and that `import-grants` fills for earlier years).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('grant_programs'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('grant_years'))
    .addColumn('program_id', 'integer', (c) => references('grant_programs', 'cascade')(c.notNull()))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('total_sek', 'bigint', (c) => c.notNull())
    .addColumn('floor_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('population_year', 'integer')
    .addColumn('request_deadline', 'text', (c) => c.notNull())
    .addColumn('report_deadline', 'text', (c) => c.notNull())
    .addColumn('report_survey_id', 'text')
    .addColumn('allocated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('grant_years_program_year_kind_uq', ['program_id', 'year', 'recipient_kind'])
    .addCheckConstraint('grant_years_rule_check', sql`rule in ('population_floor','equal','decision')`)
    .addCheckConstraint('grant_years_amounts_check', sql`total_sek >= 0 and floor_sek >= 0`)
    .execute();

  await withId(db, db.schema.createTable('grant_ledger'))
    .addColumn('grant_year_id', 'integer', (c) => references('grant_years', 'cascade')(c.notNull()))
    .addColumn('organisation_id', 'integer', (c) => references('organisations', 'cascade')(c.notNull()))
    .addColumn('population', 'integer')
    .addColumn('allocated_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('request_extended_until', 'text')
    .addColumn('requested_sek', 'bigint')
    .addColumn('requested_at', 'text')
    .addColumn('requested_by_name', 'text')
    .addColumn('requested_by_role', 'text')
    .addColumn('requested_by_user_id', 'integer', references('users', 'set null'))
    .addColumn('declined_at', 'text')
    .addColumn('paid_sek', 'bigint')
    .addColumn('paid_at', 'text')
    .addColumn('used_sek', 'bigint')
    .addColumn('reported_sek', 'bigint')
    .addColumn('report_response_id', 'integer', references('responses', 'set null'))
    .addColumn('reported_at', 'text')
    .addColumn('repaid_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('repaid_at', 'text')
    .addColumn('reclaimed_sek', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reclaim_reason', 'text')
    .addColumn('reclaimed_at', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer', references('users', 'set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('grant_ledger_year_org_uq', ['grant_year_id', 'organisation_id'])
    .addCheckConstraint('grant_ledger_status_check', sql`status in ('ej_rekvirerat','vantar','forbrukat','aterbetalt')`)
    .addCheckConstraint(
      'grant_ledger_amounts_check',
      sql`allocated_sek >= 0 and coalesce(requested_sek, 0) >= 0 and coalesce(paid_sek, 0) >= 0 and coalesce(used_sek, 0) >= 0 and repaid_sek >= 0 and reclaimed_sek >= 0`,
    )
    .addCheckConstraint('grant_ledger_request_check', sql`requested_at is null or declined_at is null`)
    .execute();
  await db.schema.createIndex('grant_ledger_org_idx').on('grant_ledger').columns(['organisation_id', 'grant_year_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grant_ledger').execute();
  await db.schema.dropTable('grant_years').execute();
  await db.schema.dropTable('grant_programs').execute();
}
