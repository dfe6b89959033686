import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema';
import { listGrantPrograms } from '../grants/grants.server';
import { familyVersions, getCodebook, getSurveys } from '../surveys/surveys.server';
import { ATTRIBUTES, type ComparisonDefinitionInput } from './definition';

/**
 * The evaluator's builder form (query parameters, Swedish field errors) and the choices it
 * offers. The form maps onto a comparison definition; the definition schema stays the one truth.
 */

import { BUILDER_POPULATIONS, GRANT_MEASURE, MONEY_MEASURE, POPULATION_LABELS } from './builder-options';

export { BUILDER_POPULATIONS, GRANT_MEASURE, MONEY_MEASURE, POPULATION_LABELS };

/** "a, b = Label; c, d = Other" → { a: Label, b: Label, c: Other, d: Other }, or a Swedish error. */
export function parseMerge(text: string, values: string[]): { map?: Record<string, string>; error?: string } {
  const map: Record<string, string> = {};
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [left, label, extra] = part.split('=').map((x) => x.trim());
    if (!left || !label || extra !== undefined) return { error: `Skriv "värde, värde = rubrik", t.ex. "stammer_helt, stammer_delvis = Positiva omdömen".` };
    for (const value of left.split(',').map((x) => x.trim()).filter(Boolean)) {
      if (!values.includes(value)) return { error: `"${value}" är inte ett svarsalternativ till frågan.` };
      map[value] = label.slice(0, 100);
    }
  }
  return { map };
}
export const USED_MAP = { forbrukat: 'Använt', ej_rekvirerat: 'Inte använt', aterbetalt: 'Inte använt' };

const opt = z.preprocess((v) => (v === '' ? undefined : v), z.string().max(200).optional());
const year = z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number({ error: 'Ange ett år.' }).int('Ange ett år.').min(1990, 'Ange ett år.').max(2100, 'Ange ett år.').optional());

export const builderSchema = z.object({
  titel: opt,
  enkat: opt,
  fraga: opt,
  program: opt,
  ar: z.array(z.coerce.number().int().min(1990).max(2100)).default([]),
  trend: z.literal('1').optional(),
  grupp: z.enum(['', 'grant', ...ATTRIBUTES], { error: 'Välj en giltig uppdelning.' }).default(''),
  gprogram: opt,
  gar: year,
  slaihop: z.literal('1').optional(),
  /** Who is counted: organisations of one kind, or the persons invited to a person survey. */
  vilka: z.enum(BUILDER_POPULATIONS, { error: 'Välj vilka som ska räknas.' }).default('kommun'),
  /** Merged categories, e.g. "stammer_helt, stammer_delvis = Positiva omdömen; …". */
  sammanfor: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(1000, 'Högst 1 000 tecken.').optional()),
  undertryck: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z.number({ error: 'Ange ett heltal 0–100.' }).int('Ange ett heltal 0–100.').min(0, 'Ange ett heltal 0–100.').max(100, 'Ange ett heltal 0–100.').optional(),
  ),
});
export type BuilderInput = z.output<typeof builderSchema>;

/** Reads the form from URL search parameters or form data. */
export function readBuilder(params: URLSearchParams): { input?: BuilderInput; errors: Record<string, string> } {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) raw[key] = key === 'ar' ? params.getAll(key).filter(Boolean) : params.get(key);
  const parsed = builderSchema.safeParse(raw);
  if (parsed.success) return { input: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
  return { errors };
}

/** The definition the form describes, or Swedish field errors saying what is missing. */
export function builderDefinition(input: BuilderInput): { def?: ComparisonDefinitionInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let measure: ComparisonDefinitionInput['measure'] | undefined;
  let years: number[] | undefined;
  let surveys: string[] | undefined;
  if (!input.enkat) errors.enkat = 'Välj vad som ska jämföras.';
  else if (input.enkat === GRANT_MEASURE || input.enkat === MONEY_MEASURE) {
    if (input.vilka === 'respondents') errors.vilka = 'Medel gäller organisationer: välj vilka organisationer som ska räknas.';
    if (!input.program) errors.program = 'Välj ett program.';
    if (input.ar.length === 0) errors.ar = 'Välj minst ett år.';
    if (input.program && input.ar.length) {
      const sorted = [...new Set(input.ar)].sort();
      measure = input.enkat === MONEY_MEASURE ? { money: { program: input.program } } : { grant: { program: input.program, year: sorted[sorted.length - 1] } };
      if (sorted.length > 1 || input.enkat === MONEY_MEASURE) years = sorted;
    }
  } else {
    const chosen = getSurveys().find((s) => s.meta.id === input.enkat);
    const audience = chosen?.meta.audience;
    const persons = input.vilka === 'respondents';
    if (!chosen) errors.enkat = 'Välj en enkät i listan.';
    else if (persons ? audience !== 'person' : audience === 'person' || !audience?.some((k) => k === input.vilka))
      errors.enkat = persons ? 'Enkäten besvaras av organisationer: välj vilka organisationer som ska räknas.' : `Enkäten besvaras inte av ${POPULATION_LABELS[input.vilka].toLowerCase()}.`;
    if (!input.fraga) errors.fraga = 'Välj en fråga.';
    else if (chosen) {
      const entry = getCodebook(chosen).find((e) => e.key === input.fraga!.split('.')[0]);
      const values = (entry?.options ?? entry?.columns?.map((c) => ({ value: c.name })) ?? []).map((o) => String(o.value));
      const merged = input.sammanfor ? parseMerge(input.sammanfor, values) : {};
      if (merged.error) errors.sammanfor = merged.error;
      measure = { survey: input.enkat, question: input.fraga, ...(merged.map ? { map: merged.map } : {}) };
      if (input.trend) {
        const family = getSurveys().find((s) => s.meta.id === input.enkat)?.meta.family;
        const versions = family ? familyVersions(family).filter((s) => getCodebook(s).some((e) => e.key === input.fraga)) : [];
        if (versions.length > 1) surveys = versions.map((s) => s.meta.id);
      }
    }
  }
  let groupBy: ComparisonDefinitionInput['groupBy'];
  if (input.grupp === 'grant') {
    if (!input.gprogram) errors.gprogram = 'Välj program för uppdelningen.';
    if (input.gar === undefined) errors.gar = 'Välj år för uppdelningen.';
    if (input.gprogram && input.gar !== undefined) groupBy = { grant: { program: input.gprogram, year: input.gar }, ...(input.slaihop ? { map: USED_MAP } : {}) };
  } else if (input.grupp) groupBy = { attribute: input.grupp };
  if (Object.keys(errors).length || !measure) return { errors };
  const title = input.titel ?? autoTitle(input);
  return { def: { title, population: { kind: input.vilka }, measure, groupBy, years, surveys, suppressBelow: input.undertryck }, errors };
}

function autoTitle(input: BuilderInput): string {
  const what = input.enkat === GRANT_MEASURE ? `Status för medel ${input.program}` : input.enkat === MONEY_MEASURE ? `Fördelade och förbrukade medel ${input.program}` : `${input.fraga}`;
  const by =
    input.grupp === 'grant' ? ` efter medel ${input.gar}` : input.grupp ? ` efter ${{ kommungrupp2017: 'kommungrupp 2017', kommungrupp2023: 'kommungrupp 2023', lan: 'län', sizeClass: 'kommunstorlek' }[input.grupp]}` : '';
  return `${what}${by}`;
}

export interface BuilderChoices {
  surveys: { id: string; title: string; audience: string; questions: { key: string; text: string }[] }[];
  programs: { program: string; years: number[] }[];
}

/**
 * What the builder offers: every survey (for every population) with its comparable questions,
 * a matrix both whole and per statement, and the ledger's programmes.
 */
export async function builderChoices(db: Kysely<Database>): Promise<BuilderChoices> {
  const surveys = getSurveys().map((s) => ({
    id: s.meta.id,
    title: s.meta.title,
    audience: s.meta.audience === 'person' ? 'respondents' : s.meta.audience.join(','),
    questions: getCodebook(s).flatMap((e) =>
      e.kind === 'matrix'
        ? [{ key: e.key, text: `${e.text} (hela matrisen)` }, ...(e.rows ?? []).map((r) => ({ key: `${e.key}.${r.value}`, text: `${e.text}: ${r.label}` }))]
        : ['single', 'multiple', 'numeric', 'boolean', 'computed'].includes(e.kind)
          ? [{ key: e.key, text: e.text }]
          : [],
    ),
  }));
  return { surveys, programs: await listGrantPrograms(db) };
}
