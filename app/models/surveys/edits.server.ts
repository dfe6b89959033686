/**
 * The common edits of a draft without touching JSON: titles, descriptions, choice labels, a new
 * choice, a new question of a basic type. Each returns a changed copy of the survey JSON, or a
 * Swedish message saying what is wrong.
 */
import { z } from 'zod';
import { rawElements } from './check.server';

const key = z.string().trim().regex(/^[a-z][a-z0-9_]*$/, 'Använd små bokstäver a–z, siffror och understreck, och börja med en bokstav.');
const value = z.string().trim().regex(/^[a-z0-9][a-z0-9_]*$/, 'Använd små bokstäver a–z, siffror och understreck.');
const text = z.string().trim().min(1, 'Fyll i en text.').max(2000, 'Texten får vara högst 2000 tecken.');

export const BASIC_TYPES = { text: 'Kort text', comment: 'Lång text', number: 'Tal', radiogroup: 'Ett alternativ', checkbox: 'Flera alternativ', boolean: 'Ja/nej' } as const;

export const editSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('survey_title'), title: text }),
  z.object({ op: z.literal('question_title'), name: key, title: text }),
  z.object({ op: z.literal('question_description'), name: key, description: z.string().trim().max(2000, 'Texten får vara högst 2000 tecken.') }),
  z.object({ op: z.literal('choice_label'), name: key, value: z.string().trim().min(1), label: text }),
  z.object({ op: z.literal('add_choice'), name: key, value, label: text }),
  z.object({
    op: z.literal('add_question'),
    page: z.string().trim().min(1, 'Välj en sida.'),
    name: key,
    type: z.enum(Object.keys(BASIC_TYPES) as [keyof typeof BASIC_TYPES, ...(keyof typeof BASIC_TYPES)[]], { error: 'Välj en frågetyp.' }),
    title: text,
    /** For choice questions: one `value|label` per line. */
    choices: z.string().max(20_000).optional(),
  }),
]);
export type SurveyEdit = z.infer<typeof editSchema>;

type Json = Record<string, any>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);


/** Sets a possibly localised string ({ default, sv, … }) in the survey's own locale. */
function setText(owner: Json, prop: string, value: string, locale: string) {
  const cur = owner[prop];
  if (isObject(cur)) owner[prop] = { ...cur, [locale in cur ? locale : 'default']: value };
  else owner[prop] = value;
}

const choiceValue = (c: unknown) => String(isObject(c) ? c.value : c);

/** The questions a form offers for the simple edits: name, title, type, choices, page. */
export function editableQuestions(survey: Json): { name: string; title: string; type: string; choices: { value: string; label: string }[] }[] {
  const label = (v: unknown, fallback: string) => (typeof v === 'string' ? v : isObject(v) ? String(v.sv ?? v.default ?? fallback) : fallback);
  return rawElements(survey)
    .filter((el) => typeof el.name === 'string' && el.type !== 'panel' && el.type !== 'html')
    .map((el) => ({
      name: el.name,
      title: label(el.title, el.name),
      type: String(el.type),
      choices: Array.isArray(el.choices) ? el.choices.map((c: unknown) => ({ value: choiceValue(c), label: isObject(c) ? label(c.text, choiceValue(c)) : String(c) })) : [],
    }));
}

export type EditResult = { ok: true; survey: Json } | { ok: false; field: string; message: string };

/**
 * Applies one edit to a copy of the survey.
 * @example applyEdit(json, { op: 'add_choice', name: 'fortbildning_vuxna', value: 'planeras', label: 'Planeras' })
 */
export function applyEdit(input: Json, edit: SurveyEdit): EditResult {
  const survey = structuredClone(input);
  const locale = typeof survey.locale === 'string' && survey.locale ? survey.locale : 'default';
  const elements = rawElements(survey);
  const find = (name: string) => elements.find((el) => el.name === name);
  if (edit.op === 'survey_title') {
    setText(survey, 'title', edit.title, locale);
    return { ok: true, survey };
  }
  if (edit.op === 'add_question') {
    if (find(edit.name)) return { ok: false, field: 'name', message: `Det finns redan en fråga med namnet ”${edit.name}”.` };
    const page = (survey.pages ?? []).find((p: Json) => isObject(p) && p.name === edit.page);
    if (!page) return { ok: false, field: 'page', message: `Sidan ”${edit.page}” finns inte.` };
    const q: Json = { type: edit.type === 'number' ? 'text' : edit.type, name: edit.name, title: edit.title };
    if (edit.type === 'number') q.inputType = 'number';
    if (edit.type === 'radiogroup' || edit.type === 'checkbox') {
      const lines = (edit.choices ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length < 2) return { ok: false, field: 'choices', message: 'Skriv minst två svarsalternativ, ett per rad, som kod|text (t.ex. ja|Ja).' };
      const choices = [];
      for (const [i, line] of lines.entries()) {
        const [v, ...rest] = line.split('|');
        if (!value.safeParse(v).success || !rest.join('|').trim()) return { ok: false, field: 'choices', message: `Rad ${i + 1} (”${line}”) ska vara kod|text, med koden i små bokstäver a–z, siffror och understreck.` };
        choices.push({ value: v.trim(), text: rest.join('|').trim() });
      }
      if (new Set(choices.map((c) => c.value)).size !== choices.length) return { ok: false, field: 'choices', message: 'Två svarsalternativ har samma kod.' };
      q.choices = choices;
    }
    (page.elements ??= []).push(q);
    return { ok: true, survey };
  }
  const q = find(edit.name);
  if (!q) return { ok: false, field: 'name', message: `Det finns ingen fråga med namnet ”${edit.name}”.` };
  if (edit.op === 'question_title') setText(q, 'title', edit.title, locale);
  else if (edit.op === 'question_description') setText(q, 'description', edit.description, locale);
  else {
    if (!Array.isArray(q.choices)) return { ok: false, field: 'name', message: `Frågan ”${edit.name}” har inga svarsalternativ.` };
    const index = q.choices.findIndex((c: unknown) => choiceValue(c) === edit.value);
    if (edit.op === 'add_choice') {
      if (index >= 0) return { ok: false, field: 'value', message: `Frågan ”${edit.name}” har redan alternativet ”${edit.value}”.` };
      q.choices.push({ value: edit.value, text: edit.label });
    } else {
      if (index < 0) return { ok: false, field: 'value', message: `Frågan ”${edit.name}” har inget alternativ ”${edit.value}”.` };
      const c = q.choices[index];
      if (isObject(c)) setText(c, 'text', edit.label, locale);
      else q.choices[index] = { value: c, text: edit.label };
    }
  }
  return { ok: true, survey };
}
