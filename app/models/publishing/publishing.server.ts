/**
 * Publishing an instrument version from the browser or the CLI: a draft from an uploaded file
 * or a copy of last year's, edits, the review (check-survey's checks plus the diff against the
 * family's previous version) and the publish itself. Every change is audited with the before
 * and after JSON; a confirmed breaking change is audited with its reason.
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { ORGANISATION_KINDS, type Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { changeId, diffSurveys, type SurveyChange, type SurveyDiff } from '../surveys/diff.server';
import { applyEdit, type SurveyEdit } from '../surveys/edits.server';
import { checkSurveyJson, getSurvey, previousVersion, rawElements, type LoadedSurvey, type SurveyMeta } from '../surveys/surveys.server';
import { parseSurveyText, type UploadProblem } from '../surveys/upload.server';
import { deleteDraft, getVersionRow, insertDraft, markPublished, peersOf, requireDraft, rowToSurvey, syncPublishedSurveys, updateDraft, VersionError } from '../surveys/versions.server';

type Actor = { id: number | null };
export type Fail = { ok: false; problems: UploadProblem[]; fields?: Record<string, string> };

const slug = z.string().trim().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Använd små bokstäver a–z och siffror, med bindestreck mellan orden (t.ex. oj-vinr).');

/** The metadata form (Swedish messages). `audience` is a list of kinds or "person". */
export const metaFormSchema = z.object({
  family: slug,
  year: z.coerce.number({ error: 'Ange ett år.' }).int('Ange ett helt år.').min(1990, 'Året ska vara 1990–2100.').max(2100, 'Året ska vara 1990–2100.'),
  title: z.string().trim().min(1, 'Ange en titel.').max(300),
  description: z.string().trim().min(1, 'Beskriv enkäten med en mening.').max(5000),
  audience: z.union([z.literal('person'), z.array(z.enum(ORGANISATION_KINDS)).min(1)], { error: 'Välj minst en målgrupp.' }),
  defaultDeadline: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Ange sista svarsdag som MM-DD, t.ex. 03-15.'),
  source: z.string().trim().min(1, 'Ange källan (t.ex. ”egen enkät”).').max(2000),
});
export type MetaForm = z.infer<typeof metaFormSchema>;

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) out[String(i.path[0] ?? 'form')] ??= i.message;
  return out;
}

function toMeta(form: MetaForm, notes?: string[]): SurveyMeta {
  return { id: `${form.family}-${form.year}`, ...form, ...(notes?.length ? { notes } : {}) };
}

/** A new draft from an uploaded SurveyJS JSON (ours or any editor's) and the metadata form. */
export async function createDraftFromUpload(db: Kysely<Database>, actor: Actor, input: { text: string; bytes: number; meta: unknown }): Promise<{ ok: true; id: string } | Fail> {
  const parsed = parseSurveyText(input.text, input.bytes);
  const meta = metaFormSchema.safeParse(input.meta);
  if (!parsed.ok || !meta.success) return { ok: false, problems: parsed.ok ? [] : parsed.problems, fields: meta.success ? undefined : fieldErrors(meta.error) };
  const full = toMeta(meta.data);
  try {
    await db.transaction().execute(async (trx) => {
      await insertDraft(trx, { meta: full, survey: parsed.survey, userId: actor.id });
      await audit(trx, { actorUserId: actor.id, action: 'survey.upload', entity: 'survey_version', entityId: full.id, before: null, after: { meta: full, survey: parsed.survey } });
    });
  } catch (e) {
    if (e instanceof VersionError && e.code === 'exists') return { ok: false, problems: [], fields: { year: `Det finns redan en version ${full.id}. Välj ett annat år eller en annan familj.` } };
    throw e;
  }
  return { ok: true, id: full.id };
}

/** A draft for `year` copied from a published version (or another draft). */
export async function cloneVersion(db: Kysely<Database>, actor: Actor, sourceId: string, year: number): Promise<{ ok: true; id: string } | Fail> {
  const row = await getVersionRow(db, sourceId);
  const source = row ? rowToSurvey(row) : getSurvey(sourceId);
  if (!source) return { ok: false, problems: [{ message: `Det finns ingen version ${sourceId}.`, detail: `no survey ${sourceId}` }] };
  if (!Number.isInteger(year) || year < 1990 || year > 2100) return { ok: false, problems: [], fields: { year: 'Ange ett år mellan 1990 och 2100.' } };
  const meta: SurveyMeta = { ...source.meta, id: `${source.meta.family}-${year}`, year, title: source.meta.title.replace(String(source.meta.year), String(year)), notes: [`Kopierad från ${source.meta.id}.`] };
  const survey = structuredClone(source.json);
  if (typeof survey.title === 'string') survey.title = survey.title.replace(String(source.meta.year), String(year));
  try {
    await db.transaction().execute(async (trx) => {
      await insertDraft(trx, { meta, survey, basedOn: source.meta.id, userId: actor.id });
      await audit(trx, { actorUserId: actor.id, action: 'survey.clone', entity: 'survey_version', entityId: meta.id, before: { id: source.meta.id }, after: { meta, survey } });
    });
  } catch (e) {
    if (e instanceof VersionError && e.code === 'exists') return { ok: false, problems: [], fields: { year: `Det finns redan en version ${meta.id}.` } };
    throw e;
  }
  return { ok: true, id: meta.id };
}

async function saveSurvey(db: Kysely<Database>, actor: Actor, id: string, survey: Record<string, unknown>, action: string, meta?: SurveyMeta) {
  await db.transaction().execute(async (trx) => {
    const before = await requireDraft(trx, id);
    const after = await updateDraft(trx, id, { survey, meta });
    await audit(trx, { actorUserId: actor.id, action, entity: 'survey_version', entityId: id, before: { meta: JSON.parse(before.meta), survey: JSON.parse(before.survey) }, after: { meta: JSON.parse(after.meta), survey } });
  });
}

/** Replaces a draft's JSON with edited text; the same checks as an upload. */
export async function saveDraftJson(db: Kysely<Database>, actor: Actor, id: string, text: string): Promise<{ ok: true } | Fail> {
  const parsed = parseSurveyText(text);
  if (!parsed.ok) return parsed;
  await saveSurvey(db, actor, id, parsed.survey, 'survey.edit');
  return { ok: true };
}

/** One of the simple edits (titles, choice labels, a new choice or question). */
export async function editDraft(db: Kysely<Database>, actor: Actor, id: string, edit: SurveyEdit): Promise<{ ok: true } | Fail> {
  const row = await requireDraft(db, id);
  const result = applyEdit(JSON.parse(row.survey), edit);
  if (!result.ok) return { ok: false, problems: [], fields: { [result.field]: result.message } };
  await saveSurvey(db, actor, id, result.survey, 'survey.edit');
  return { ok: true };
}

/** Changes a draft's metadata (family and year stay: they make its id). */
export async function editDraftMeta(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<{ ok: true } | Fail> {
  const row = await requireDraft(db, id);
  const old = JSON.parse(row.meta) as SurveyMeta;
  const parsed = metaFormSchema.safeParse({ ...(input as object), family: old.family, year: old.year });
  if (!parsed.success) return { ok: false, problems: [], fields: fieldErrors(parsed.error) };
  await saveSurvey(db, actor, id, JSON.parse(row.survey), 'survey.edit', toMeta(parsed.data, old.notes));
  return { ok: true };
}

/** Deletes a draft, audited with what it held (a published or used version refuses: VersionError). */
export async function deleteDraftAudited(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await requireDraft(trx, id);
    await deleteDraft(trx, id);
    await audit(trx, { actorUserId: actor.id, action: 'survey.delete', entity: 'survey_version', entityId: id, before: { meta: JSON.parse(before.meta), survey: JSON.parse(before.survey) }, after: null });
  });
}

export interface CheckMessage {
  message: string;
  /** The question the message concerns, when it names one. */
  question: string | null;
  /** Accepted by a confirmed breaking change. */
  confirmed?: boolean;
}

export interface Review {
  survey: LoadedSurvey;
  previous: LoadedSurvey | null;
  diff: SurveyDiff;
  errors: CheckMessage[];
  warnings: CheckMessage[];
  /** Breaking changes not yet confirmed: publishing is blocked while any remain. */
  blocked: SurveyChange[];
}

const KEY_IN_MESSAGE = /"([a-z][a-z0-9_]*)"/g;

function questionOf(message: string, names: Set<string>): string | null {
  for (const m of message.matchAll(KEY_IN_MESSAGE)) if (names.has(m[1])) return m[1];
  return null;
}

/** The checks of `check-survey` and the diff, for the draft as it is now. */
export function reviewSurvey(survey: LoadedSurvey, confirmed: string[] = []): Review {
  const previous = previousVersion(survey) ?? null;
  let diff: SurveyDiff;
  try {
    diff = diffSurveys(previous ?? undefined, survey);
  } catch {
    diff = { previousId: previous?.meta.id ?? null, changes: [], breaking: [] };
  }
  const ok = new Set(confirmed);
  const confirmedKeys = new Set(diff.breaking.filter((c) => ok.has(changeId(c))).map((c) => c.key));
  const result = checkSurveyJson({ meta: survey.meta, survey: survey.json }, { familyPeers: peersOf(survey.meta.id) });
  // A message is shown at the changed key it names, or else at the question of the form it names.
  const names = new Set([...diff.changes.map((c) => c.key), ...rawElements(survey.json).flatMap((el) => (typeof el.name === 'string' ? [el.name] : []))]);
  const errors: CheckMessage[] = [];
  const warnings: CheckMessage[] = result.warnings.map((w) => ({ message: w, question: questionOf(w, names) }));
  for (const e of result.errors) {
    const question = questionOf(e, names);
    // A family rule the administrator has confirmed breaking, with a reason, no longer blocks.
    if (e.startsWith('family:') && question && confirmedKeys.has(question)) warnings.push({ message: e, question, confirmed: true });
    else errors.push({ message: e, question });
  }
  return { survey, previous, diff, errors, warnings, blocked: diff.breaking.filter((c) => !ok.has(changeId(c))) };
}

/** The review of a stored draft. */
export async function reviewDraft(db: Kysely<Database>, id: string, confirmed: string[] = []): Promise<Review> {
  await syncPublishedSurveys(db);
  return reviewSurvey(rowToSurvey(await requireDraft(db, id)), confirmed);
}

export type PublishResult = { ok: true; review: Review } | { ok: false; review: Review; reason?: string };

/**
 * Publishes a draft when check-survey finds no error and every breaking change is confirmed
 * (with `reason`, at least 10 characters). Audits the publish and each confirmed break.
 */
export async function publishDraft(db: Kysely<Database>, actor: Actor, id: string, input: { confirm?: string[]; reason?: string } = {}): Promise<PublishResult> {
  const confirm = input.confirm ?? [];
  const reason = input.reason?.trim() ?? '';
  const review = await reviewDraft(db, id, confirm);
  if (review.errors.length || review.blocked.length) return { ok: false, review };
  const confirmedChanges = review.diff.breaking.filter((c) => confirm.includes(changeId(c)));
  if (confirmedChanges.length && reason.length < 10) return { ok: false, review, reason: 'Skriv varför de brytande ändringarna behövs (minst 10 tecken). Skälet sparas i loggen.' };
  await db.transaction().execute(async (trx) => {
    if (!(await markPublished(trx, id, actor.id))) throw new VersionError('published', `${id} is already published`);
    const after = { meta: review.survey.meta, survey: review.survey.json };
    await audit(trx, { actorUserId: actor.id, action: 'survey.publish', entity: 'survey_version', entityId: id, before: review.previous ? { id: review.previous.meta.id } : null, after });
    for (const c of confirmedChanges) {
      await audit(trx, {
        actorUserId: actor.id, action: 'survey.breaking_change', entity: 'survey_version', entityId: id, reason,
        before: { id: review.previous?.meta.id, survey: review.previous?.json, change: c }, after: { id, survey: review.survey.json },
      });
    }
  });
  await syncPublishedSurveys(db);
  return { ok: true, review };
}
