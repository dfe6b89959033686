import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Numeric answers at full precision. `real` is 8 bytes in SQLite but 4 in PostgreSQL, where it
 * kept about 7 significant digits: 123 456 789 kr was stored as 123 456 792, and sums and means
 * of amounts in comparisons were off. SQLite needs no change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`alter table answer_values alter column num type double precision`.execute(db);
  // Rows written before this migration were rounded to float4 on the way in; re-derive them from
  // the text value the projection stores beside the number.
  await sql`update answer_values set num = value::double precision where num is not null and value ~ '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`alter table answer_values alter column num type real`.execute(db);
}
