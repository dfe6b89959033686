import type { Insertable, Selectable, Updateable } from 'kysely';

export const SURVEY_VERSION_STATUSES = ['utkast', 'publicerad'] as const;
export type SurveyVersionStatus = (typeof SURVEY_VERSION_STATUSES)[number];

/**
 * A survey version stored in the database: a draft, or a published version read beside the
 * built-in files in surveys/. A published version never changes.
 */
export interface SurveyVersionTable {
  /** The survey id, `<family>-<year>`, unique across files and rows. */
  id: string;
  family: string;
  year: number;
  status: SurveyVersionStatus;
  /** JSON: the metadata block (SurveyMeta). */
  meta: string;
  /** JSON: the SurveyJS survey. */
  survey: string;
  /** The version it was copied from, if any. */
  based_on: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  published_by: number | null;
  published_at: string | null;
}

export type SurveyVersionRow = Selectable<SurveyVersionTable>;
export type NewSurveyVersion = Insertable<SurveyVersionTable>;
export type SurveyVersionUpdate = Updateable<SurveyVersionTable>;
