/**
 * Survey versions stored in the database: drafts made in /admin/enkater (or `survey publish`)
 * and the versions published from them. Published rows join the built-in files in every reader
 * through surveys.server.ts (`syncPublishedSurveys`). A published version never changes; a draft
 * changes until it is published. Auditing is the caller's (models/publishing/).
 */
import type { Db, SurveyVersionRow } from '../../../db/schema';
import { getBuiltInSurveys, getSurvey, getSurveys, publishedSurveyIds, setPublishedSurveys } from './surveys.server';
import type { LoadedSurvey, SurveyMeta } from './types.server';

/** Why a version cannot be stored or changed; `code` picks the message. */
export class VersionError extends Error {
  constructor(
    readonly code: 'exists' | 'not_found' | 'published',
    message: string,
  ) {
    super(message);
    this.name = 'VersionError';
  }
}

export interface SurveyVersionSummary {
  id: string;
  family: string;
  year: number;
  title: string;
  status: 'utkast' | 'publicerad';
  /** `fil`: one of the built-in files in surveys/; `databas`: made in the app. */
  source: 'fil' | 'databas';
  /** Rounds that use this version (it is then immutable). */
  rounds: number;
  publishedAt: string | null;
  updatedAt: string | null;
}

/** A database row as a LoadedSurvey (drafts too, for the preview, the diff and the checks). */
export function rowToSurvey(row: Pick<SurveyVersionRow, 'id' | 'meta' | 'survey'>): LoadedSurvey {
  return { meta: JSON.parse(row.meta) as SurveyMeta, json: JSON.parse(row.survey) as Record<string, unknown>, file: `databas:${row.id}` };
}

/**
 * Makes every reader in this process see the published rows of `db`. Cheap when nothing changed
 * (one query of ids); the server calls it per request, so every instance sees a new version.
 */
export async function syncPublishedSurveys(db: Db): Promise<void> {
  const ids = await db.selectFrom('survey_versions').select('id').where('status', '=', 'publicerad').orderBy('id').execute();
  const now = publishedSurveyIds().slice().sort();
  if (ids.length === now.length && ids.every((r, i) => r.id === now[i])) return;
  const rows = await db.selectFrom('survey_versions').select(['id', 'meta', 'survey']).where('status', '=', 'publicerad').execute();
  setPublishedSurveys(rows.map(rowToSurvey));
}

export async function getVersionRow(db: Db, id: string): Promise<SurveyVersionRow | undefined> {
  return db.selectFrom('survey_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Rounds per survey id. */
async function roundCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('rounds').select(['survey_id', db.fn.countAll<number>().as('n')]).groupBy('survey_id').execute();
  return new Map(rows.map((r) => [r.survey_id, Number(r.n)]));
}

/** Whether a round uses this survey version (then nothing about it may change). */
export async function usedByRounds(db: Db, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('rounds').select('id').where('survey_id', '=', id).limit(1).executeTakeFirst());
}

/** Every version, files and rows, by family and year. */
export async function listVersions(db: Db): Promise<SurveyVersionSummary[]> {
  await syncPublishedSurveys(db);
  const counts = await roundCounts(db);
  const rows = await db.selectFrom('survey_versions').selectAll().execute();
  const fileIds = new Set(getBuiltInSurveys().map((s) => s.meta.id));
  const out: SurveyVersionSummary[] = getBuiltInSurveys().map((s) => ({
    id: s.meta.id, family: s.meta.family, year: s.meta.year, title: s.meta.title, status: 'publicerad', source: 'fil', rounds: counts.get(s.meta.id) ?? 0, publishedAt: null, updatedAt: null,
  }));
  for (const r of rows) {
    if (fileIds.has(r.id)) continue;
    const meta = JSON.parse(r.meta) as SurveyMeta;
    out.push({ id: r.id, family: r.family, year: r.year, title: meta.title, status: r.status, source: 'databas', rounds: counts.get(r.id) ?? 0, publishedAt: r.published_at, updatedAt: r.updated_at });
  }
  return out.sort((a, b) => a.family.localeCompare(b.family) || a.year - b.year);
}

/** Whether the id is taken, by a file or a row. */
export async function idTaken(db: Db, id: string): Promise<boolean> {
  return Boolean(getBuiltInSurveys().some((s) => s.meta.id === id) || (await getVersionRow(db, id)));
}

/** Stores a new draft. Throws VersionError('exists') when the id is taken. */
export async function insertDraft(db: Db, input: { meta: SurveyMeta; survey: Record<string, unknown>; basedOn?: string | null; userId: number | null }): Promise<SurveyVersionRow> {
  if (await idTaken(db, input.meta.id)) throw new VersionError('exists', `a survey with the id ${input.meta.id} already exists`);
  const now = new Date().toISOString();
  const row: SurveyVersionRow = {
    id: input.meta.id, family: input.meta.family, year: input.meta.year, status: 'utkast', meta: JSON.stringify(input.meta), survey: JSON.stringify(input.survey),
    based_on: input.basedOn ?? null, created_by: input.userId, created_at: now, updated_at: now, published_by: null, published_at: null,
  };
  await db.insertInto('survey_versions').values(row).execute();
  return row;
}

/** The draft row, or a VersionError: unknown id, or already published (immutable). */
export async function requireDraft(db: Db, id: string): Promise<SurveyVersionRow> {
  const row = await getVersionRow(db, id);
  if (!row) throw new VersionError(getSurvey(id) ? 'published' : 'not_found', getSurvey(id) ? `${id} is published and cannot change` : `there is no draft ${id}`);
  if (row.status !== 'utkast' || (await usedByRounds(db, id))) throw new VersionError('published', `${id} is published and cannot change`);
  return row;
}

/** Replaces a draft's survey JSON and/or metadata (id, family and year stay). */
export async function updateDraft(db: Db, id: string, change: { survey?: Record<string, unknown>; meta?: SurveyMeta }): Promise<SurveyVersionRow> {
  const row = await requireDraft(db, id);
  const next = { ...row, updated_at: new Date().toISOString() };
  if (change.survey) next.survey = JSON.stringify(change.survey);
  if (change.meta) next.meta = JSON.stringify({ ...change.meta, id: row.id, family: row.family, year: row.year });
  await db.updateTable('survey_versions').set({ survey: next.survey, meta: next.meta, updated_at: next.updated_at }).where('id', '=', id).where('status', '=', 'utkast').execute();
  return next;
}

/** Marks a draft published. Only an unchanged draft row moves (a concurrent publish wins once). */
export async function markPublished(db: Db, id: string, userId: number | null): Promise<boolean> {
  const now = new Date().toISOString();
  const result = await db.updateTable('survey_versions').set({ status: 'publicerad', published_by: userId, published_at: now, updated_at: now }).where('id', '=', id).where('status', '=', 'utkast').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a draft (never a published version). */
export async function deleteDraft(db: Db, id: string): Promise<void> {
  await requireDraft(db, id);
  await db.deleteFrom('survey_versions').where('id', '=', id).where('status', '=', 'utkast').execute();
}

/** All versions a draft is checked against: every published one except itself. */
export function peersOf(id: string): LoadedSurvey[] {
  return getSurveys().filter((s) => s.meta.id !== id);
}
