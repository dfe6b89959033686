import type { LanTable, OrganisationTable } from './tables/organisations';
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
}

export * from './tables/organisations';
export * from './tables/rounds';
