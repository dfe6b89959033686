import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { splitJointReport, type JointShare } from './joint-split';
import { refreshLedgerRows } from './record.server';

/**
 * Reads the submitted återrapportering of grant years into their ledger: `forbrukat_belopp`
 * becomes the used amount and `beviljat_belopp` the reported granted amount, dated by the
 * submission. Only a newer submission than the one already read is taken, so an
 * administrator's audited correction of the used amount stands until the recipient submits again.
 * Runs after every submit (the submit route), on the year's admin page and in the job loop.
 * A joint report's amounts are split over the lead and its members (joint-split.ts).
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
    const ledger = await db
      .selectFrom('grant_ledger as l')
      .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
      .select(['l.id', 'l.organisation_id', 'o.code', 'l.requested_at', 'l.declined_at', 'l.paid_sek', 'l.requested_sek', 'l.allocated_sek', 'l.reported_at', 'l.report_response_id'])
      .where('l.grant_year_id', '=', year.id)
      .execute();
    if (ledger.length === 0) continue;
    const byOrg = new Map(ledger.map((l) => [l.organisation_id, l] as const));
    const byId = new Map(ledger.map((l) => [l.id, l] as const));
    const submitted = await db
      .selectFrom('responses as r')
      .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
      .select(['r.id as response_id', 'r.data', 'r.submitted_at', 'a.id as assignment_id', 'a.organisation_id'])
      .where('r.survey_id', '=', year.report_survey_id!)
      .where('a.status', '=', 'submitted')
      .where('r.submitted_at', 'is not', null)
      .orderBy('r.submitted_at')
      .orderBy('r.id')
      .execute();
    if (submitted.length === 0) continue;
    const members = new Map<number, number[]>();
    for (let i = 0; i < submitted.length; i += 500) {
      const rows = await db
        .selectFrom('joint_members as j')
        .innerJoin('assignments as m', 'm.id', 'j.member_assignment_id')
        .select(['j.lead_assignment_id', 'm.organisation_id'])
        .where('j.lead_assignment_id', 'in', submitted.slice(i, i + 500).map((s) => s.assignment_id))
        .execute();
      for (const r of rows) if (r.organisation_id !== null) members.set(r.lead_assignment_id, [...(members.get(r.lead_assignment_id) ?? []), r.organisation_id]);
    }
    // Each row takes its share of the latest submission that covers it: its own, or a joint
    // report's (split by joint-split.ts). A submission is read in again as a whole when any row it
    // covers has not seen it yet.
    type Sub = (typeof submitted)[number];
    const latest = new Map<number, { sub: Sub; share: JointShare; joint: boolean }>();
    for (const sub of submitted) {
      const orgIds = [sub.organisation_id, ...(members.get(sub.assignment_id) ?? [])];
      const group = [...new Set(orgIds)].flatMap((id) => (id !== null && byOrg.has(id) ? [byOrg.get(id)!] : []));
      if (group.length === 0) continue;
      const data = JSON.parse(sub.data) as Record<string, unknown>;
      const shares = splitJointReport(
        group.map((l) => ({ ledgerId: l.id, code: l.code, requested: !!l.requested_at && !l.declined_at, paid_sek: l.paid_sek == null ? null : Number(l.paid_sek), requested_sek: l.requested_sek == null ? null : Number(l.requested_sek), allocated_sek: Number(l.allocated_sek) })),
        amountOf(data.forbrukat_belopp),
        amountOf(data.beviljat_belopp),
      );
      for (const share of shares) latest.set(share.ledgerId, { sub, share, joint: orgIds.length > 1 });
    }
    const stale = new Set<number>();
    for (const [ledgerId, { sub }] of latest) {
      const row = byId.get(ledgerId)!;
      if (!row.reported_at || sub.submitted_at! > row.reported_at || row.report_response_id !== sub.response_id) stale.add(sub.response_id);
    }
    const fresh = [...latest].filter(([, v]) => stale.has(v.sub.response_id));
    if (fresh.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      for (const [ledgerId, { sub, share, joint }] of fresh) {
        await trx
          .updateTable('grant_ledger')
          .set({ used_sek: share.used_sek, reported_sek: share.reported_sek, report_response_id: sub.response_id, reported_at: sub.submitted_at, updated_at: new Date().toISOString() })
          .where('id', '=', ledgerId)
          .execute();
        await audit(trx, {
          actorUserId: null,
          action: 'grant.report',
          entity: 'grant_ledger',
          entityId: ledgerId,
          after: { used_sek: share.used_sek, reported_sek: share.reported_sek, response_id: sub.response_id, ...(joint ? { joint: true } : {}) },
          reason: joint ? 'Gemensam återrapportering inskickad (beloppen delade efter utbetalt belopp)' : 'Återrapportering inskickad',
        });
      }
      await refreshLedgerRows(trx, fresh.map(([id]) => id));
    });
    changed += fresh.length;
  }
  return changed;
}
