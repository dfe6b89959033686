import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export const ASSIGNMENT_STATUSES = ['not_started', 'draft', 'submitted', 'reopened'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** One survey version sent to a set of organisations (or persons) with an open and a close date. */
export interface RoundTable {
  id: Generated<number>;
  /** The survey file id, e.g. `oj-vinr-2019`. Surveys live in files, not in the database. */
  survey_id: string;
  title: string;
  opens_at: string;
  closes_at: string;
  /** Set when an administrator closes the round early. */
  closed_at: string | null;
  /** JSON: reminder offsets in days relative to closes_at, e.g. [-14, -3, 2]. */
  reminder_schedule: string;
  /** Who to contact about the round, shown to respondents (e.g. after the deadline). */
  contact_text: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** One organisation (or, for person surveys, one invited person) in one round. */
export interface AssignmentTable {
  id: Generated<number>;
  round_id: number;
  /** The organisation answering; for person surveys, the organisation the person belongs to, if any. */
  organisation_id: number | null;
  /** For surveys with audience `person`: the invited person. */
  person_name: string | null;
  person_email: string | null;
  status: ColumnType<AssignmentStatus, AssignmentStatus | undefined, AssignmentStatus>;
  /** A per-assignment deadline extension, overriding the round's closes_at when later. */
  extended_until: string | null;
  /**
   * Random per-assignment nonce (16 bytes, hex). The access token is derived from it, see
   * accessToken() in app/models/rounds/rounds.server.ts; replacing the nonce revokes the old link.
   */
  token_nonce: string;
  /** SHA-256 (hex) of the secret access token; the token itself is never stored. */
  token_hash: string;
  /** Set when a recipient opted out of this assignment's reminders by the e-mail's unsubscribe link. */
  reminders_opted_out_at: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
  updated_at: string;
}

/** The one response of an assignment: the current answers, as saved last. */
export interface ResponseTable {
  id: Generated<number>;
  assignment_id: number;
  survey_id: string;
  /** JSON object of answers keyed by question name. */
  data: string;
  /** Incremented on every save; a save must name the version it started from. */
  version: number;
  /** JSON array of question names carried over from the previous version of the survey family. */
  prefilled_keys: string | null;
  last_saved_at: string | null;
  last_saved_by: string | null;
  submitted_at: string | null;
  submitted_by: string | null;
  /** E-mail address the submitter gave for the receipt, if any. */
  submitted_email: string | null;
  /** Human-readable receipt reference, set on submit, e.g. `ENK-2019-000123-4F7A`. */
  reference: string | null;
  created_at: string;
  updated_at: string;
}

/** Every saved version of a response, never updated or deleted. */
export interface ResponseRevisionTable {
  id: Generated<number>;
  response_id: number;
  version: number;
  data: string;
  /** `prefill` (version 0), `draft`, `submit`, `reopen`, `restore` or `import`. */
  kind: string;
  saved_by: string | null;
  saved_at: string;
  /** Why: the reopen reason, or which version a restore came from. */
  note: string | null;
}

export type Round = Selectable<RoundTable>;
export type NewRound = Insertable<RoundTable>;
export type RoundUpdate = Updateable<RoundTable>;
export type Assignment = Selectable<AssignmentTable>;
export type NewAssignment = Insertable<AssignmentTable>;
export type SurveyResponse = Selectable<ResponseTable>;
export type ResponseRevision = Selectable<ResponseRevisionTable>;
