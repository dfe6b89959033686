/**
 * The survey module: every part of the product reads surveys through here. It loads and checks
 * every file in surveys/ (a broken file stops the start with a message naming it), derives the
 * strict answer schema, validates answers with that schema and survey-core, and makes codebooks.
 * Helpers live in survey-*.server.ts; this file is the public surface.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkSurveyJson, isOurFormat } from './check.server';
import { surveyFileSchema, SurveyLoadError, type LoadedSurvey, type SurveyMeta } from './types.server';

export type { AnswerError, AnswerResult, CodebookEntry, CodebookOption, LoadedSurvey, SurveyMeta, ValidationMode } from './types.server';
export { SurveyLoadError, surveyMetaSchema } from './types.server';
export { checkSurveyJson, isOurFormat, rawElements } from './check.server';
export { answerSchema, validateAnswers } from './validate.server';
export { getCodebook } from './codebook.server';

/**
 * Reads every *.json in `dir` without checking more than its shape: for check-survey, which
 * compares a file with its family even when another file in the folder is broken.
 */
export function readSurveyFiles(dir: string): { surveys: LoadedSurvey[]; problems: { file: string; error: string }[] } {
  const surveys: LoadedSurvey[] = [];
  const problems: { file: string; error: string }[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    return { surveys, problems: [{ file: dir, error: `cannot read the survey folder: ${(e as Error).message}` }] };
  }
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push({ file, error: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    const parsed = surveyFileSchema.safeParse(json);
    if (!parsed.success) {
      problems.push({ file, error: isOurFormat(json) ? 'invalid metadata (see check-survey)' : 'not a survey file: expected { "meta": {…}, "survey": {…} }' });
      continue;
    }
    surveys.push({ meta: parsed.data.meta as SurveyMeta, json: parsed.data.survey, file });
  }
  return { surveys, problems };
}

/** Loads and fully checks every survey in `dir`. Throws SurveyLoadError naming each broken file. */
export function loadSurveysFrom(dir: string): LoadedSurvey[] {
  const { surveys, problems } = readSurveyFiles(dir);
  // Re-check the raw files fully so metadata problems are reported precisely.
  const files = new Map(surveys.map((s) => [s.file, s]));
  for (const p of problems) {
    if (p.error.startsWith('invalid metadata')) {
      const result = checkSurveyJson(JSON.parse(fs.readFileSync(p.file, 'utf8')));
      p.error = result.errors.join('; ');
    }
  }
  const ids = new Map<string, string>();
  for (const s of files.values()) {
    const expected = `${s.meta.id}.json`;
    if (path.basename(s.file) !== expected) problems.push({ file: s.file, error: `meta.id is "${s.meta.id}", so the file must be named ${expected}` });
    const other = ids.get(s.meta.id);
    if (other) problems.push({ file: s.file, error: `id "${s.meta.id}" is also used by ${other}` });
    ids.set(s.meta.id, s.file);
    const result = checkSurveyJson({ meta: s.meta, survey: s.json }, { familyPeers: surveys });
    if (result.errors.length) problems.push({ file: s.file, error: result.errors.join('; ') });
  }
  if (problems.length) {
    const lines = problems.map((p) => `${path.relative(process.cwd(), p.file) || p.file}: ${p.error}`);
    throw new SurveyLoadError(`Broken survey file${problems.length > 1 ? 's' : ''}:\n${lines.join('\n')}`, problems);
  }
  if (surveys.length === 0) throw new SurveyLoadError(`No survey files in ${dir}`);
  return surveys;
}

let cache: { dir: string; files: LoadedSurvey[]; surveys: LoadedSurvey[]; byId: Map<string, LoadedSurvey> } | undefined;
/** Versions published from the browser or `survey publish`, read from the database (versions.server.ts). */
let published: LoadedSurvey[] = [];

/** The folder surveys are loaded from: SURVEYS_DIR, or surveys/ in the working directory. */
export function surveysDir(): string {
  return path.resolve(process.env.SURVEYS_DIR ?? 'surveys');
}

/** The built-in files only, loaded and checked once per process. */
export function getBuiltInSurveys(): LoadedSurvey[] {
  const dir = surveysDir();
  if (!cache || cache.dir !== dir) {
    cache = { dir, files: loadSurveysFrom(dir), surveys: [], byId: new Map() };
    rebuild();
  }
  return cache.files;
}

function rebuild() {
  if (!cache) return;
  const files = cache.files;
  const fileIds = new Set(files.map((s) => s.meta.id));
  // A file always wins over a row with the same id: the built-in set cannot be shadowed.
  const all = [...files, ...published.filter((s) => !fileIds.has(s.meta.id))];
  cache.surveys = all.sort((a, b) => a.meta.family.localeCompare(b.meta.family) || a.meta.year - b.meta.year);
  cache.byId = new Map(all.map((s) => [s.meta.id, s]));
}

/**
 * Replaces the set of database versions every reader sees (versions.server.ts calls this after
 * reading the published rows). Unchanged versions keep their objects, so cached models stay.
 */
export function setPublishedSurveys(versions: LoadedSurvey[]): void {
  getBuiltInSurveys();
  const old = new Map(published.map((s) => [s.meta.id, s]));
  published = versions.map((v) => old.get(v.meta.id) ?? v);
  rebuild();
}

/** The ids of the database versions currently seen, for a cheap "did anything change" check. */
export function publishedSurveyIds(): string[] {
  return published.map((s) => s.meta.id);
}

/** All surveys (the files and the published database versions); sorted by family, then year. */
export function getSurveys(): LoadedSurvey[] {
  getBuiltInSurveys();
  return cache!.surveys;
}

export function getSurvey(id: string): LoadedSurvey | undefined {
  getSurveys();
  return cache?.byId.get(id);
}

/** The version of the same family with the highest year below this one's. */
export function previousVersion(survey: { meta: SurveyMeta }): LoadedSurvey | undefined {
  return getSurveys()
    .filter((s) => s.meta.family === survey.meta.family && s.meta.year < survey.meta.year)
    .sort((a, b) => b.meta.year - a.meta.year)[0];
}

/** Every version of a family, oldest first. */
export function familyVersions(family: string): LoadedSurvey[] {
  return getSurveys().filter((s) => s.meta.family === family);
}
