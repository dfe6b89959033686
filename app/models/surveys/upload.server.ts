/**
 * Reads an uploaded or edited survey JSON before it becomes a draft: size, JSON syntax, the shape
 * of a SurveyJS survey, and question types (built-in only; no web choices, no uploads). Every
 * refusal says where, in Swedish for the UI and in English for the CLI. Our own files ({ meta,
 * survey }) give their metadata to the form.
 */
import { Serializer } from 'survey-core';

export const MAX_SURVEY_BYTES = 2 * 1024 * 1024;

export interface UploadProblem {
  /** Swedish, naming the place (line and column, or the question). */
  message: string;
  /** English, for the CLI. */
  detail: string;
  /** The question it concerns, when there is one. */
  question?: string;
  /** 1-based line and column in the text, for JSON syntax errors. */
  line?: number;
  column?: number;
}

export type ParsedUpload = { ok: true; survey: Record<string, unknown>; meta: Record<string, unknown> | null } | { ok: false; problems: UploadProblem[] };

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where `position` (a character offset) is in `text`, 1-based. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

function syntaxProblem(text: string, error: Error): UploadProblem {
  const m = /position (\d+)/.exec(error.message);
  const at = m ? lineColumn(text, Number(m[1])) : /line (\d+) column (\d+)/.exec(error.message);
  const place = at ? ('line' in at ? at : { line: Number(at[1]), column: Number(at[2]) }) : undefined;
  if (!place) return { message: 'Filen är inte giltig JSON: den tar slut för tidigt eller är tom.', detail: `not valid JSON: ${error.message}` };
  return {
    message: `Filen är inte giltig JSON: fel på rad ${place.line}, kolumn ${place.column}. Kontrollera citattecken, kommatecken och klamrar där.`,
    detail: `not valid JSON at line ${place.line}, column ${place.column}: ${error.message}`,
    ...place,
  };
}

/** Every element with where it sits: "sida ”p1”" or "panelen ”x”". */
function elementsWithPlace(survey: Record<string, any>): { el: Record<string, any>; place: string }[] {
  const out: { el: Record<string, any>; place: string }[] = [];
  const visit = (list: unknown, place: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((el, i) => {
      if (!isObject(el)) return;
      out.push({ el, place: `${place}, element ${i + 1}` });
      const inner = typeof el.name === 'string' ? `${place} → ”${el.name}”` : place;
      visit(el.elements, inner);
      visit(el.questions, inner);
      visit(el.templateElements, inner);
    });
  };
  (Array.isArray(survey.pages) ? survey.pages : []).forEach((p: unknown, i: number) => {
    if (!isObject(p)) return;
    const place = `sida ${i + 1}${typeof p.name === 'string' ? ` (”${p.name}”)` : ''}`;
    visit(p.elements, place);
    visit(p.questions, place);
  });
  visit(survey.elements, 'enkäten');
  visit(survey.questions, 'enkäten');
  return out;
}

const NOT_ALLOWED: Record<string, string> = { file: 'filuppladdning', signaturepad: 'signaturfält' };

/** The form-level problems that stop a draft: unknown or custom types, web choices, uploads. */
export function surveyProblems(survey: unknown): UploadProblem[] {
  if (!isObject(survey)) return [{ message: 'Filen är inte en SurveyJS-enkät: den ska vara ett JSON-objekt med ”pages” eller ”elements”.', detail: 'not a SurveyJS survey: expected a JSON object with "pages" or "elements"' }];
  const hasList = ['pages', 'elements', 'questions'].some((k) => Array.isArray(survey[k]) && survey[k].length > 0);
  if (!hasList) return [{ message: 'Filen är inte en SurveyJS-enkät: den saknar ”pages” (sidor) eller ”elements” (frågor).', detail: 'not a SurveyJS survey: no "pages" or "elements"' }];
  const problems: UploadProblem[] = [];
  for (const { el, place } of elementsWithPlace(survey)) {
    const name = typeof el.name === 'string' ? el.name : undefined;
    const who = name ? `Frågan ”${name}” (${place})` : `Elementet på ${place}`;
    const q = name ? { question: name } : {};
    if (typeof el.type !== 'string') problems.push({ message: `${who} saknar typ (”type”).`, detail: `${name ?? place}: no "type"`, ...q });
    else if (NOT_ALLOWED[el.type]) problems.push({ message: `${who} är en ${NOT_ALLOWED[el.type]} (”${el.type}”), som inte är tillåten: Enkätnav tar inte emot filer.`, detail: `${name ?? place}: type "${el.type}" is not allowed (no uploads)`, ...q });
    else if (!Serializer.findClass(el.type)) problems.push({ message: `${who} har typen ”${el.type}”, som inte är en inbyggd frågetyp i SurveyJS (egna komponenter stöds inte).`, detail: `${name ?? place}: type "${el.type}" is not a built-in SurveyJS question type`, ...q });
    if (el.choicesByUrl) problems.push({ message: `${who} hämtar sina svarsalternativ från en webbtjänst (”choicesByUrl”). Skriv in alternativen i ”choices” i stället.`, detail: `${name ?? place}: choicesByUrl is not allowed; list the choices`, ...q });
  }
  return problems;
}

/**
 * Parses an uploaded or edited text. `bytes` is the size as received.
 * @example const r = parseSurveyText(await file.text()); if (!r.ok) show(r.problems)
 */
export function parseSurveyText(text: string, bytes = Buffer.byteLength(text)): ParsedUpload {
  if (bytes > MAX_SURVEY_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(1).replace('.', ',');
    return { ok: false, problems: [{ message: `Filen är ${mb} MB. En enkät får vara högst 2 MB.`, detail: `the file is ${bytes} bytes; at most ${MAX_SURVEY_BYTES}` }] };
  }
  if (!text.trim()) return { ok: false, problems: [{ message: 'Filen är tom.', detail: 'the file is empty' }] };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, problems: [syntaxProblem(text.replace(/^\uFEFF/, ''), e as Error)] };
  }
  const ours = isObject(json) && isObject(json.survey) && 'meta' in json;
  const survey = ours ? (json as Record<string, any>).survey : json;
  const meta = ours && isObject((json as Record<string, any>).meta) ? ((json as Record<string, any>).meta as Record<string, unknown>) : null;
  const problems = surveyProblems(survey);
  return problems.length ? { ok: false, problems } : { ok: true, survey: survey as Record<string, unknown>, meta };
}
