import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { refreshLedgerRows } from './record.server';

/**
 * Reads the submitted återrapportering of grant years into their ledger: `forbrukat_belopp`
 * becomes the used amount and `beviljat_belopp` the reported granted amount, dated by the
 * submission. Only a newer submission than the one already read is taken, so an
 * administrator's audited correction of the used amount stands until the recipient submits again.
 * Runs after every submit (the submit route), on the year's admin page and in the job loop.
 */

const amountOf = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/** Syncs the reports of every year whose återrapportering survey is `surveyId` (or of all years). Returns rows changed. */
export async function syncGrantReports(db: Kysely<Database>, filter: { surveyId?: string; yearId?: number } = {}): Promise<number> {
  let years = db.selectFrom('grant_years').select(['id', 'report_survey_id']).where('report_survey_id', 'is not', null);
  if (filter.surveyId) years = years.where('report_survey_id', '=', filter.surveyId);
  if (filter.yearId) years = years.where('id', '=', filter.yearId);
  let changed = 0;
  for (const year of await years.execute()) {
    const submitted = await db
      .selectFrom('responses as r')
      .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
      .innerJoin('grant_ledger as l', (j) => j.onRef('l.organisation_id', '=', 'a.organisation_id').on('l.grant_year_id', '=', year.id))
      .select(['l.id as ledger_id', 'l.reported_at', 'r.id as response_id', 'r.data', 'r.submitted_at'])
      .where('r.survey_id', '=', year.report_survey_id!)
      .where('a.status', '=', 'submitted')
      .where('r.submitted_at', 'is not', null)
      .orderBy('r.submitted_at')
      .execute();
    // The latest submission per recipient wins.
    const latest = new Map<number, (typeof submitted)[number]>();
    for (const s of submitted) latest.set(s.ledger_id, s);
    const fresh = [...latest.values()].filter((s) => !s.reported_at || s.submitted_at! > s.reported_at);
    if (fresh.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      for (const s of fresh) {
        const data = JSON.parse(s.data) as Record<string, unknown>;
        const used = amountOf(data.forbrukat_belopp);
        const reported = amountOf(data.beviljat_belopp);
        await trx
          .updateTable('grant_ledger')
          .set({ used_sek: used, reported_sek: reported, report_response_id: s.response_id, reported_at: s.submitted_at, updated_at: new Date().toISOString() })
          .where('id', '=', s.ledger_id)
          .execute();
        await audit(trx, { actorUserId: null, action: 'grant.report', entity: 'grant_ledger', entityId: s.ledger_id, after: { used_sek: used, reported_sek: reported, response_id: s.response_id }, reason: 'Återrapportering inskickad' });
      }
      await refreshLedgerRows(trx, fresh.map((s) => s.ledger_id));
    });
    changed += fresh.length;
  }
  return changed;
}
