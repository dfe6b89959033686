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

export const GRANT_MEASURE = '__medel__';
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
  undertryck: z.preprocess(
    (v) => (v === '' || v === undefined ? 0 : Number(v)),
    z.number({ error: 'Ange ett heltal 0–100.' }).int('Ange ett heltal 0–100.').min(0, 'Ange ett heltal 0–100.').max(100, 'Ange ett heltal 0–100.'),
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
  else if (input.enkat === GRANT_MEASURE) {
    if (!input.program) errors.program = 'Välj ett program.';
    if (input.ar.length === 0) errors.ar = 'Välj minst ett år.';
    if (input.program && input.ar.length) {
      const sorted = [...new Set(input.ar)].sort();
      measure = { grant: { program: input.program, year: sorted[sorted.length - 1] } };
      if (sorted.length > 1) years = sorted;
    }
  } else {
    if (!input.fraga) errors.fraga = 'Välj en fråga.';
    else {
      measure = { survey: input.enkat, question: input.fraga };
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
  return { def: { title, population: { kind: 'kommun' }, measure, groupBy, years, surveys, suppressBelow: input.undertryck }, errors };
}

function autoTitle(input: BuilderInput): string {
  const what = input.enkat === GRANT_MEASURE ? `Status för medel ${input.program}` : `${input.fraga}`;
  const by =
    input.grupp === 'grant' ? ` efter medel ${input.gar}` : input.grupp ? ` efter ${{ kommungrupp2017: 'kommungrupp 2017', kommungrupp2023: 'kommungrupp 2023', lan: 'län', sizeClass: 'kommunstorlek' }[input.grupp]}` : '';
  return `${what}${by}`;
}

export interface BuilderChoices {
  surveys: { id: string; title: string; questions: { key: string; text: string }[] }[];
  programs: { program: string; years: number[] }[];
}

/** What the builder offers: kommun surveys with their comparable questions, and the ledger's programmes. */
export async function builderChoices(db: Kysely<Database>): Promise<BuilderChoices> {
  const surveys = getSurveys()
    .filter((s) => Array.isArray(s.meta.audience) && s.meta.audience.includes('kommun'))
    .map((s) => ({
      id: s.meta.id,
      title: s.meta.title,
      questions: getCodebook(s)
        .filter((e) => ['single', 'multiple', 'numeric', 'boolean', 'computed'].includes(e.kind))
        .map((e) => ({ key: e.key, text: e.text })),
    }));
  return { surveys, programs: await listGrantPrograms(db) };
}
