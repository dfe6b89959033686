import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { ensureResponse, loadRespondentContext } from '../../app/models/responses/responses.server';
import { submitResponse } from '../../app/models/responses/submit.server';
import { computeAllocation } from '../../app/models/grants/ledger.server';
import { createProgram, createYear } from '../../app/models/grants/programs.server';
import fixtures from '../fixtures/valid-answers.json';

export const PROGRAM = 'vinr-utvecklingsmedel';

/** The ViNR kommun year 2018 with the 50 mnkr allocation computed; rekvisition open until `requestDeadline`. */
export async function kommunYear2018(db: Kysely<Database>, options: { requestDeadline?: string } = {}) {
  const program = await createProgram(db, { code: PROGRAM, name: 'Utvecklingsmedel mot våld i nära relationer' }, null);
  const year = await createYear(
    db,
    {
      programId: program.id,
      year: 2018,
      recipientKind: 'kommun',
      rule: 'population_floor',
      totalSek: 50_000_000,
      floorSek: 80_000,
      requestDeadline: options.requestDeadline ?? '2099-03-31T21:59:59Z',
      reportDeadline: '2099-05-31T21:59:59Z',
      reportSurveyId: 'aterrapportering-kommun-2018',
    },
    null,
  );
  const lines = await computeAllocation(db, year.id, null);
  return { program, year, lines };
}

/** A complete återrapportering 2018 with the given granted and used amounts. */
export function reportAnswers(granted: number, used: number): Record<string, unknown> {
  const base = { ...(fixtures as Record<string, Record<string, unknown>>)['aterrapportering-kommun-2018'] };
  for (const k of Object.keys(base)) if (k.startsWith('kostnad_')) delete base[k];
  return { ...base, beviljat_belopp: granted, forbrukat_belopp: used, kostnad_personal: used, kostnad_summa: used, aterbetalas: granted - used };
}

/** Submits through the respond model, as the form at /svar/<token> does. */
export async function submitReport(db: Kysely<Database>, token: string, granted: number, used: number) {
  const ctx = await loadRespondentContext(db, token);
  if (!ctx) throw new Error('unknown token');
  const response = await ensureResponse(db, ctx);
  const fresh = (await loadRespondentContext(db, token))!;
  const result = await submitResponse(db, { ...fresh, response: fresh.response ?? response }, { baseVersion: response.version, data: reportAnswers(granted, used) as never, submittedBy: 'Eva Ek' });
  if (!result.ok) throw new Error(`submit failed: ${JSON.stringify(result)}`);
}

export async function ledgerIdOf(db: Kysely<Database>, yearId: number, code: string): Promise<number> {
  const row = await db
    .selectFrom('grant_ledger as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select('l.id')
    .where('l.grant_year_id', '=', yearId)
    .where('o.code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function orgIdOf(db: Kysely<Database>, code: string): Promise<number> {
  return (await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}
