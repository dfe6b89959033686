import type { AssignmentStatus, Role } from '../../db/schema';

/** Swedish labels for assignment statuses, shared by the admin pages and the exports. */
export const STATUS_LABELS: Record<AssignmentStatus | 'missing', string> = {
  not_started: 'Inte påbörjad',
  draft: 'Utkast sparat',
  submitted: 'Inskickad',
  reopened: 'Återöppnad',
  missing: 'Saknas (ej inskickad)',
};

/** Swedish labels for a round's phase (RoundPhase in models/rounds), long for the round page, short for lists. */
export const ROUND_PHASE_LABELS: Record<'closed' | 'not_open' | 'past_deadline' | 'open', { long: string; short: string }> = {
  closed: { long: 'Stängd', short: 'Stängd' },
  not_open: { long: 'Inte öppnad ännu', short: 'Inte öppnad' },
  past_deadline: { long: 'Sista svarsdag har passerat', short: 'Sista svarsdag passerad' },
  open: { long: 'Öppen', short: 'Öppen' },
};

/** "42 %" with a Swedish decimal comma when needed. */
export function percent(rate: number, digits = 0): string {
  return `${(rate * 100).toLocaleString('sv-SE', { maximumFractionDigits: digits, minimumFractionDigits: digits })} %`;
}

/** An ISO timestamp as Swedish local date and time, e.g. "2019-03-15 10:42". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' });
}

export function dateOnly(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

/** Swedish names of the roles, for tables and forms. */
export const ROLE_LABELS: Record<Role, string> = { admin: 'Administratör', evaluator: 'Utvärderare', respondent: 'Svarande' };

/** Whole kronor as Swedes write them: "50 000 000 kr"; "–" for none. */
export function kronor(n: number | null | undefined): string {
  return n == null ? '–' : `${n.toLocaleString('sv-SE')} kr`;
}
