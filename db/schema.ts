import type { Kysely, Transaction } from 'kysely';
import type { ContactTable } from './tables/contacts';
import type { ApiTokenTable } from './tables/api-tokens';
import type { JointMemberTable } from './tables/joint';
import type { GrantLedgerTable, GrantProgramTable, GrantYearTable } from './tables/grant-year';
import type { AuditLogTable, LoginTokenTable, OutboxTable, RateLimitTable, SessionTable, UserTable } from './tables/auth';
import type { AnswerValueTable, ComparisonTable, GrantTable } from './tables/analysis';
import type { LanTable, OrganisationTable } from './tables/organisations';
import type { SurveyVersionTable } from './tables/survey-versions';
import type { AssignmentTable, ResponseRevisionTable, ResponseTable, RoundTable } from './tables/rounds';

/**
 * The database as the app sees it. Each area keeps its table types in db/tables/<area>.ts and
 * adds them here. Both dialects return the same shapes: timestamps are ISO-8601 strings (UTC),
 * JSON is text and booleans are 0/1 integers.
 */
export interface Database {
  lan: LanTable;
  organisations: OrganisationTable;
  rounds: RoundTable;
  assignments: AssignmentTable;
  responses: ResponseTable;
  response_revisions: ResponseRevisionTable;
  answer_values: AnswerValueTable;
  grants: GrantTable;
  comparisons: ComparisonTable;
  contacts: ContactTable;
  users: UserTable;
  login_tokens: LoginTokenTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokenTable;
  joint_members: JointMemberTable;
  survey_versions: SurveyVersionTable;
  grant_programs: GrantProgramTable;
  grant_years: GrantYearTable;
  grant_ledger: GrantLedgerTable;
}

export * from './tables/organisations';
export * from './tables/rounds';
export * from './tables/contacts';
export * from './tables/analysis';
export * from './tables/auth';
export * from './tables/api-tokens';
export * from './tables/joint';
export * from './tables/survey-versions';
export * from './tables/grant-year';

/** The database handle every model takes first: the app's Kysely instance or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
