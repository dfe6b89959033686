import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** How a grant year's total is split: by population with a floor, equal shares, or per decision. */
export const ALLOCATION_RULES = ['population_floor', 'equal', 'decision'] as const;
export type AllocationRule = (typeof ALLOCATION_RULES)[number];

/** The kinds of recipient a grant year is for. */
export const RECIPIENT_KINDS = ['kommun', 'region', 'organisation'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/** The derived status of a ledger row: the three of Tabell 8, plus "requested, report not in yet". */
export const LEDGER_STATUSES = ['ej_rekvirerat', 'vantar', 'forbrukat', 'aterbetalt'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

type Sek = ColumnType<number, number, number>;
type OptionalSek = ColumnType<number | null, number | null | undefined, number | null>;

export interface GrantProgramTable {
  id: Generated<number>;
  /** Stable key used in `grants.program` and comparison definitions, e.g. `vinr-utvecklingsmedel`. */
  code: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface GrantYearTable {
  id: Generated<number>;
  program_id: number;
  year: number;
  recipient_kind: RecipientKind;
  rule: AllocationRule;
  total_sek: Sek;
  floor_sek: ColumnType<number, number | undefined, number>;
  /** The year of the population figures the allocation used. */
  population_year: number | null;
  request_deadline: string;
  /** Days before the rekvisition deadline the job loop sends the reminder; null: no automatic reminder. */
  request_reminder_days: ColumnType<number | null, number | null | undefined, number | null>;
  report_deadline: string;
  /** The återrapportering survey whose submitted answers give the used amount. */
  report_survey_id: string | null;
  allocated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface GrantLedgerTable {
  id: Generated<number>;
  grant_year_id: number;
  organisation_id: number;
  /** The population the allocation was computed from (population rule only). */
  population: number | null;
  allocated_sek: ColumnType<number, number | undefined, number>;
  /** An administrator's extension of the rekvisition deadline for this recipient. */
  request_extended_until: string | null;
  requested_sek: OptionalSek;
  requested_at: string | null;
  requested_by_name: string | null;
  requested_by_role: string | null;
  requested_by_user_id: number | null;
  declined_at: string | null;
  paid_sek: OptionalSek;
  paid_at: string | null;
  /** Used amount: from the submitted återrapportering, or set by an administrator (audited). */
  used_sek: OptionalSek;
  /** The beviljat belopp the recipient reported, to compare with what was paid. */
  reported_sek: OptionalSek;
  report_response_id: number | null;
  reported_at: string | null;
  repaid_sek: ColumnType<number, number | undefined, number>;
  repaid_at: string | null;
  reclaimed_sek: ColumnType<number, number | undefined, number>;
  reclaim_reason: string | null;
  reclaimed_at: string | null;
  reviewed_at: string | null;
  reviewed_by: number | null;
  status: LedgerStatus;
  created_at: string;
  updated_at: string;
}

export type GrantProgram = Selectable<GrantProgramTable>;
export type GrantYear = Selectable<GrantYearTable>;
export type NewGrantYear = Insertable<GrantYearTable>;
export type LedgerRow = Selectable<GrantLedgerTable>;
