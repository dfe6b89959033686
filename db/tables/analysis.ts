import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** The analysis projection of submitted answers; rebuilt from responses.data, never edited by hand. */
export interface AnswerValueTable {
  response_id: number;
  survey_id: string;
  /** Null for person surveys answered outside an organisation. */
  organisation_id: number | null;
  question: string;
  /** The choice key (one row per chosen option for multiple choice), or the text of a numeric/boolean answer. */
  value: string | null;
  /** The numeric value for numeric questions. */
  num: number | null;
}

export const GRANT_STATUSES = ['ej_rekvirerat', 'forbrukat', 'aterbetalt'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** One organisation's grant of one programme and year (the grant ledger). */
export interface GrantTable {
  id: Generated<number>;
  organisation_id: number;
  program: string;
  year: number;
  status: GrantStatus;
  /** Amounts in whole kronor; bigint in PostgreSQL comes back as a string, so read through Number(). */
  allocated_sek: ColumnType<number, number, number>;
  used_sek: ColumnType<number, number, number>;
  repaid_sek: ColumnType<number, number, number>;
  created_at: string;
  updated_at: string;
}

/** A saved comparison definition (JSON validated by app/models/comparisons/definition.ts). */
export interface ComparisonTable {
  id: Generated<number>;
  title: string;
  definition: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export type AnswerValue = Selectable<AnswerValueTable>;
export type NewAnswerValue = Insertable<AnswerValueTable>;
export type Grant = Selectable<GrantTable>;
export type NewGrant = Insertable<GrantTable>;
export type SavedComparison = Selectable<ComparisonTable>;
