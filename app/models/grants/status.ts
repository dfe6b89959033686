import type { LedgerStatus } from '../../../db/schema';

/**
 * The status of a recipient's grant year, derived from the ledger facts and never typed in,
 * and the rules that flag a ledger row whose report and bookings disagree. Pure, so the same
 * rules serve the ledger page, Tabell 8, the disagreement view and the tests.
 *
 * - no rekvisition (none, or declined) → `ej_rekvirerat` (inte rekvirerat);
 * - requested, återrapportering not in yet → `vantar` (counted apart until the report comes);
 * - reported used amount > 0 → `forbrukat` (förbrukat allt/delvis); the unused part is an
 *   expected repayment, matched when the repayment is booked;
 * - reported used amount = 0 → `aterbetalt` (återbetalt hela beloppet): the whole payment is due
 *   back, and until it is booked the row is flagged.
 */

export interface LedgerFacts {
  requested_at: string | null;
  declined_at: string | null;
  requested_sek: number | null;
  paid_sek: number | null;
  used_sek: number | null;
  reported_sek: number | null;
  repaid_sek: number;
  reclaimed_sek: number;
}

export const LEDGER_STATUS_LABELS: Record<LedgerStatus, string> = {
  ej_rekvirerat: 'Inte rekvirerat',
  vantar: 'Väntar på återrapportering',
  forbrukat: 'Förbrukat allt/delvis',
  aterbetalt: 'Återbetalt hela beloppet',
};

export function deriveStatus(f: LedgerFacts): LedgerStatus {
  if (!f.requested_at || f.declined_at) return 'ej_rekvirerat';
  if (f.used_sek == null) return 'vantar';
  return f.used_sek > 0 ? 'forbrukat' : 'aterbetalt';
}

/** What should come back: the part of the payment that was not used; null before the report. */
export function expectedRepayment(f: LedgerFacts): number | null {
  if (f.used_sek == null) return null;
  return Math.max(0, (f.paid_sek ?? 0) - f.used_sek);
}

export const DISAGREEMENT_RULES = [
  'repayment_missing',
  'repayment_excess',
  'used_over_paid',
  'paid_not_requested',
  'requested_not_paid',
  'paid_differs',
  'reported_differs',
  'reported_not_requested',
  'report_missing',
] as const;
export type DisagreementRule = (typeof DISAGREEMENT_RULES)[number];

export interface Disagreement {
  rule: DisagreementRule;
  sv: string;
  en: string;
}

const kr = (n: number) => `${n.toLocaleString('sv-SE')} kr`;

/**
 * Every rule a ledger row breaks. `reportOverdue` says whether the återrapportering deadline has
 * passed (the caller knows the date).
 * @example disagreementsOf({ ...facts, paid_sek: 100_000, used_sek: 60_000, repaid_sek: 0 }) → [repayment_missing]
 */
export function disagreementsOf(f: LedgerFacts, options: { reportOverdue?: boolean } = {}): Disagreement[] {
  const out: Disagreement[] = [];
  const requested = Boolean(f.requested_at) && !f.declined_at;
  const paid = f.paid_sek ?? 0;
  const expected = expectedRepayment(f);
  if (expected != null && f.repaid_sek < expected)
    out.push({ rule: 'repayment_missing', sv: `Återbetalning väntas (${kr(expected)}) men ${f.repaid_sek ? `bara ${kr(f.repaid_sek)} är` : 'ingen är'} bokförd.`, en: `repayment of ${expected} expected, ${f.repaid_sek} booked` });
  if (f.repaid_sek > (expected ?? paid))
    out.push({ rule: 'repayment_excess', sv: `Mer återbetalt (${kr(f.repaid_sek)}) än väntat (${kr(expected ?? paid)}).`, en: `repaid ${f.repaid_sek}, more than the ${expected ?? paid} due` });
  if (f.used_sek != null && f.used_sek > paid)
    out.push({ rule: 'used_over_paid', sv: `Mer förbrukat (${kr(f.used_sek)}) än utbetalt (${kr(paid)}).`, en: `used ${f.used_sek}, more than the ${paid} paid` });
  if (!requested && paid > 0) out.push({ rule: 'paid_not_requested', sv: `Utbetalt ${kr(paid)} utan rekvisition.`, en: `paid ${paid} without a rekvisition` });
  if (requested && f.paid_sek == null) out.push({ rule: 'requested_not_paid', sv: 'Rekvirerat men ingen utbetalning bokförd.', en: 'requested but no payment booked' });
  if (requested && f.paid_sek != null && f.requested_sek != null && f.paid_sek !== f.requested_sek)
    out.push({ rule: 'paid_differs', sv: `Utbetalt (${kr(f.paid_sek)}) skiljer sig från rekvirerat (${kr(f.requested_sek)}).`, en: `paid ${f.paid_sek}, requested ${f.requested_sek}` });
  if (f.reported_sek != null && f.paid_sek != null && f.reported_sek !== f.paid_sek)
    out.push({ rule: 'reported_differs', sv: `Redovisat beviljat belopp (${kr(f.reported_sek)}) skiljer sig från utbetalt (${kr(f.paid_sek)}).`, en: `reported granted ${f.reported_sek}, paid ${f.paid_sek}` });
  if (!requested && f.used_sek != null)
    out.push({ rule: 'reported_not_requested', sv: 'Återrapportering finns men ingen rekvisition.', en: 'a report without a rekvisition' });
  if (requested && f.used_sek == null && options.reportOverdue)
    out.push({ rule: 'report_missing', sv: 'Återrapporteringen saknas efter sista dag.', en: 'the report is missing after its deadline' });
  return out;
}
