import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { computeAllocation } from '../../app/models/grants/ledger.server';
import { createProgram, createYear } from '../../app/models/grants/programs.server';

const PROGRAM = { code: 'vinr-utvecklingsmedel', name: 'Utvecklingsmedel mot våld i nära relationer' };
const YEAR = 2027;

/**
 * Demo for /admin/medel and the organisation's "Medel att rekvirera": a programme year 2027 for
 * kommuner (50 000 000 kr by population with an 80 000 kr floor), allocated, with the rekvisition
 * open until 31 March 2027, so the demo kommun user can request or decline its share.
 */
export async function grantsDemo(db: Kysely<Database>): Promise<string> {
  const existing = await db.selectFrom('grant_programs').select('id').where('code', '=', PROGRAM.code).executeTakeFirst();
  const programId = existing?.id ?? (await createProgram(db, PROGRAM, null)).id;
  const year = await db.selectFrom('grant_years').select('id').where('program_id', '=', programId).where('year', '=', YEAR).where('recipient_kind', '=', 'kommun').executeTakeFirst();
  if (year) return `grant year ${YEAR} exists (see /admin/medel)`;
  const created = await createYear(
    db,
    {
      programId,
      year: YEAR,
      recipientKind: 'kommun',
      rule: 'population_floor',
      totalSek: 50_000_000,
      floorSek: 80_000,
      requestDeadline: '2027-03-31T21:59:59Z',
      reportDeadline: '2028-05-31T21:59:59Z',
      reportSurveyId: null,
    },
    null,
  );
  const lines = await computeAllocation(db, created.id, null);
  const sum = lines.reduce((s, l) => s + l.amount, 0);
  return `grant year ${YEAR}: ${lines.length} kommuner allocated ${sum.toLocaleString('sv-SE')} kr, rekvisition open until 2027-03-31 (see /admin/medel and /min-organisation)`;
}
