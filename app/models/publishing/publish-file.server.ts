/**
 * The command-line side of publishing (`survey publish`, `survey diff`): the same parse, checks,
 * diff, blocking rules and audit as /admin/enkater, with English messages. A file that fails
 * any check stores nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { changeId, diffSurveys, type SurveyDiff } from '../surveys/diff.server';
import { getSurvey, type LoadedSurvey, type SurveyMeta } from '../surveys/surveys.server';
import { parseSurveyText } from '../surveys/upload.server';
import { getVersionRow, insertDraft, rowToSurvey, syncPublishedSurveys, updateDraft, usedByRounds } from '../surveys/versions.server';
import { publishDraft, reviewSurvey, type Review } from './publishing.server';

type Actor = { id: number | null };

export type FileOutcome =
  | { ok: true; id: string; review: Review }
  | { ok: false; errors: string[]; review?: Review; blocked?: { id: string; detail: string }[] };

/** The review as English lines: check errors (with their question) and unconfirmed breaks. */
function failure(review: Review, reason?: string): FileOutcome {
  const errors = review.errors.map((e) => (e.question ? `${e.question}: ${e.message}` : e.message));
  const blocked = review.blocked.map((c) => ({ id: changeId(c), detail: c.detail }));
  for (const b of blocked) errors.push(`breaking change ${b.id}: ${b.detail} (rename the key, or pass --confirm ${b.id} with --reason)`);
  if (reason) errors.push(reason);
  return { ok: false, errors, review, blocked };
}

/** Reads a file's text as an uploaded survey in our format (meta + survey); English errors. */
function readOurFile(text: string): { ok: true; survey: LoadedSurvey } | { ok: false; errors: string[] } {
  const parsed = parseSurveyText(text);
  if (!parsed.ok) return { ok: false, errors: parsed.problems.map((p) => p.detail) };
  if (!parsed.meta) return { ok: false, errors: ['the file has no "meta" block: survey publish needs { "meta": {…}, "survey": {…} } (see surveys/README.md)'] };
  const meta = parsed.meta as unknown as SurveyMeta;
  if (typeof meta.id !== 'string' || !meta.id) return { ok: false, errors: ['meta.id is missing'] };
  return { ok: true, survey: { meta, json: parsed.survey, file: `databas:${meta.id}` } };
}

/**
 * Publishes a survey file as a new version: check-survey's checks, the diff against the family's
 * previous version, and the blocking rules (`confirm` lists change ids; `reason` ≥ 10 characters).
 * A draft of the same id made in the browser is replaced by the file and published.
 */
export async function publishFile(db: Kysely<Database>, actor: Actor, text: string, opts: { confirm?: string[]; reason?: string; dryRun?: boolean } = {}): Promise<FileOutcome> {
  const read = readOurFile(text);
  if (!read.ok) return read;
  const { meta, json } = read.survey;
  await syncPublishedSurveys(db);
  const row = await getVersionRow(db, meta.id);
  if ((row && (row.status !== 'utkast' || (await usedByRounds(db, meta.id)))) || (!row && getSurvey(meta.id))) {
    return { ok: false, errors: [`${meta.id} is already published and cannot change; give the new version another year`] };
  }
  const confirm = opts.confirm ?? [];
  const review = reviewSurvey(read.survey, confirm);
  const unknown = confirm.filter((c) => !review.diff.breaking.some((b) => changeId(b) === c));
  if (unknown.length) return { ok: false, errors: unknown.map((c) => `--confirm ${c}: no such breaking change in the diff`), review };
  if (review.errors.length || review.blocked.length) return failure(review);
  if (review.diff.breaking.length && (opts.reason?.trim().length ?? 0) < 10) return failure(review, '--reason is required (at least 10 characters) for confirmed breaking changes; it goes into the audit log');
  if (opts.dryRun) return { ok: true, id: meta.id, review };
  await db.transaction().execute(async (trx) => {
    if (row) {
      const after = await updateDraft(trx, meta.id, { survey: json, meta });
      await audit(trx, { actorUserId: actor.id, action: 'survey.edit', entity: 'survey_version', entityId: meta.id, before: { meta: JSON.parse(row.meta), survey: JSON.parse(row.survey) }, after: { meta: JSON.parse(after.meta), survey: json } });
    } else {
      await insertDraft(trx, { meta, survey: json, userId: actor.id });
      await audit(trx, { actorUserId: actor.id, action: 'survey.upload', entity: 'survey_version', entityId: meta.id, before: null, after: { meta, survey: json } });
    }
  });
  const published = await publishDraft(db, actor, meta.id, { confirm, reason: opts.reason });
  if (!published.ok) return failure(published.review, published.reason);
  return { ok: true, id: meta.id, review: published.review };
}

/** The diff from version `id` (a file, a published version or a draft) to a survey file. */
export async function diffFile(db: Kysely<Database>, id: string, text: string): Promise<{ ok: true; diff: SurveyDiff } | { ok: false; errors: string[] }> {
  await syncPublishedSurveys(db);
  const row = await getVersionRow(db, id);
  const before = row ? rowToSurvey(row) : getSurvey(id);
  if (!before) return { ok: false, errors: [`unknown survey version "${id}"`] };
  const parsed = parseSurveyText(text);
  if (!parsed.ok) return { ok: false, errors: parsed.problems.map((p) => p.detail) };
  // A plain SurveyJS file is taken as the next year of `id`'s family.
  const year = typeof parsed.meta?.year === 'number' ? parsed.meta.year : before.meta.year + 1;
  const meta = { ...before.meta, ...(parsed.meta ?? {}), year } as SurveyMeta;
  try {
    return { ok: true, diff: diffSurveys(before, { meta, json: parsed.survey, file: 'file' }) };
  } catch (e) {
    return { ok: false, errors: [`the file cannot be read as a survey: ${(e as Error).message}`] };
  }
}
