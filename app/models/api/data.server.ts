import type { Kysely } from 'kysely';
import type { AssignmentStatus, Database } from '../../../db/schema';
import { roundsWithCounts } from '../rounds/admin.server';
import { getRound } from '../rounds/rounds.server';
import { roundRates, type RoundRates } from '../rounds/status.server';
import { getCodebook, getSurveys, type CodebookEntry, type LoadedSurvey } from '../surveys/surveys.server';

/**
 * What the JSON API (/api/v1) reads, as plain JSON-ready objects with camelCase keys. Lists are
 * keyset pages: `after` is the last key of the previous page; `limit + 1` rows are fetched so
 * the caller can tell whether there is a next page.
 */

export interface ApiSurvey {
  id: string;
  family: string;
  year: number;
  title: string;
  audience: string[] | 'person';
  description: string;
  source: string;
}

const surveySummary = (s: LoadedSurvey): ApiSurvey => ({
  id: s.meta.id,
  family: s.meta.family,
  year: s.meta.year,
  title: s.meta.title,
  audience: s.meta.audience,
  description: s.meta.description,
  source: s.meta.source,
});

export function listApiSurveys(page: { limit: number; after?: string }): ApiSurvey[] {
  return getSurveys()
    .map(surveySummary)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((s) => page.after === undefined || s.id > page.after)
    .slice(0, page.limit + 1);
}

export function getApiSurvey(id: string): (ApiSurvey & { codebook: CodebookEntry[] }) | undefined {
  const survey = getSurveys().find((s) => s.meta.id === id);
  return survey && { ...surveySummary(survey), codebook: getCodebook(survey) };
}

export interface ApiRound {
  id: number;
  surveyId: string;
  title: string;
  opensAt: string;
  closesAt: string;
  closedAt: string | null;
  assignments: number;
  submitted: number;
  /** submitted / assignments, 0–1. */
  rate: number;
}

export async function listApiRounds(db: Kysely<Database>, page: { limit: number; after?: number }): Promise<ApiRound[]> {
  let query = roundsWithCounts(db).orderBy('r.id').limit(page.limit + 1);
  if (page.after !== undefined) query = query.where('r.id', '>', page.after);
  const rows = await query.execute();
  return rows.map((r) => {
    const total = Number(r.total);
    const submitted = Number(r.submitted ?? 0);
    return { id: r.id, surveyId: r.survey_id, title: r.title, opensAt: r.opens_at, closesAt: r.closes_at, closedAt: r.closed_at, assignments: total, submitted, rate: total ? submitted / total : 0 };
  });
}

/** One round with its status: counts and response rates overall, by status, län and kommungrupp. */
export async function getApiRound(db: Kysely<Database>, id: number): Promise<(Omit<ApiRound, 'assignments' | 'submitted' | 'rate'> & { status: RoundRates }) | undefined> {
  const round = await getRound(db, id);
  if (!round) return undefined;
  return {
    id: round.id,
    surveyId: round.survey_id,
    title: round.title,
    opensAt: round.opens_at,
    closesAt: round.closes_at,
    closedAt: round.closed_at,
    status: await roundRates(db, id),
  };
}

export interface ApiResponseRow {
  assignmentId: number;
  organisation: { code: string; name: string } | null;
  person: { name: string | null; email: string | null } | null;
  status: AssignmentStatus;
  version: number | null;
  lastSavedAt: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
  /** The answers as stored, keyed by question name; null before the first save. */
  answers: Record<string, unknown> | null;
}

/** The round's assignments with their responses, by assignment id. */
export async function listApiResponses(db: Kysely<Database>, roundId: number, page: { limit: number; after?: number }): Promise<ApiResponseRow[]> {
  let query = db
    .selectFrom('assignments as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('responses as r', 'r.assignment_id', 'a.id')
    .select(['a.id', 'a.status', 'a.person_name', 'a.person_email', 'o.code', 'o.name', 'r.version', 'r.data', 'r.last_saved_at', 'r.submitted_at', 'r.submitted_by'])
    .where('a.round_id', '=', roundId)
    .orderBy('a.id')
    .limit(page.limit + 1);
  if (page.after !== undefined) query = query.where('a.id', '>', page.after);
  const rows = await query.execute();
  return rows.map((r) => ({
    assignmentId: r.id,
    organisation: r.code !== null && r.name !== null ? { code: r.code, name: r.name } : null,
    person: r.person_name !== null || r.person_email !== null ? { name: r.person_name, email: r.person_email } : null,
    status: r.status,
    version: r.version,
    lastSavedAt: r.last_saved_at,
    submittedAt: r.submitted_at,
    submittedBy: r.submitted_by,
    answers: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>),
  }));
}
