/**
 * Types and the metadata schema of the survey files (surveys/<id>.json). The survey module
 * (surveys.server.ts) re-exports everything here; import from there.
 */
import { z } from 'zod';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../../db/schema';

export interface SurveyMeta {
  id: string;
  family: string;
  year: number;
  title: string;
  audience: OrganisationKind[] | 'person';
  description: string;
  /** MM-DD: the usual last day to answer, in the year after `year` for yearly reports. */
  defaultDeadline: string;
  source: string;
  notes?: string[];
  /**
   * What a new form starts with. `keys`: the stable facts taken from last year's answers (an
   * organisation's set-up, not the year's money or narrative); unlisted keys start empty.
   * `ledger`: questions filled from the grant ledger of this survey's year, e.g.
   * { program: "vinr-utvecklingsmedel", allocated: "beviljat_belopp" }.
   */
  prefill?: { keys: string[]; ledger?: { program: string; allocated: string } };
}

export interface LoadedSurvey {
  meta: SurveyMeta;
  /** The SurveyJS JSON. Treat as read-only: models, schemas and codebooks are cached from it. */
  json: Record<string, unknown>;
  /** Path of the file it was loaded from (or a label for surveys built in memory). */
  file: string;
}

/** A survey file that cannot be used; the message names the file and every problem. */
export class SurveyLoadError extends Error {
  constructor(
    message: string,
    readonly problems: { file: string; error: string }[] = [],
  ) {
    super(message);
    this.name = 'SurveyLoadError';
  }
}

export interface AnswerError {
  /** The top-level data key the error belongs to; null when it concerns the whole answer set. */
  question: string | null;
  /** unknown_key, unknown_choice, wrong_type, too_long, required, rule, invalid_value, not_object */
  code: string;
  /** Swedish, for the UI. */
  message: string;
  /** English, for the CLI and API. */
  detail: string;
  /** The question's Swedish title, for an error summary. */
  title?: string;
}

export type AnswerResult = { ok: true; data: Record<string, unknown> } | { ok: false; errors: AnswerError[] };

export type ValidationMode = 'draft' | 'submit' | 'partial';

export interface CodebookOption {
  value: string;
  label: string;
}

export interface CodebookEntry {
  key: string;
  text: string;
  /** The SurveyJS type, e.g. radiogroup, checkbox, text, matrix. */
  type: string;
  kind: 'single' | 'multiple' | 'numeric' | 'text' | 'boolean' | 'matrix' | 'computed' | 'other';
  options: CodebookOption[] | null;
  rows?: CodebookOption[];
  columns?: { name: string; label: string; kind: string; options?: CodebookOption[] }[];
  page: string;
  surveyId: string;
  required: boolean;
  /** Set on `<key>-Comment` entries: the question whose "other"/comment text this key holds. */
  commentOf?: string;
}

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase ASCII words joined by "-", e.g. oj-vinr-2019');

/** MM-DD that exists in every year (29 February does not). */
const monthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'must be MM-DD, e.g. 05-31')
  .refine((s) => {
    const [m, d] = s.split('-').map(Number);
    const date = new Date(Date.UTC(2001, m - 1, d));
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'is not a date that exists every year');

export const surveyMetaSchema = z
  .strictObject({
    id: slug,
    family: slug,
    year: z.number().int().min(1990).max(2100),
    title: z.string().trim().min(1, 'must not be empty'),
    audience: z.union([z.array(z.enum(ORGANISATION_KINDS)).min(1).refine((a) => new Set(a).size === a.length, 'has duplicates'), z.literal('person')], {
      error: () => `must be a list of organisation kinds (${ORGANISATION_KINDS.join(', ')}) or "person"`,
    }),
    description: z.string().trim().min(1, 'must not be empty'),
    defaultDeadline: monthDay,
    source: z.string().trim().min(1, 'must not be empty'),
    notes: z.array(z.string().trim().min(1)).optional(),
    prefill: z
      .strictObject({
        keys: z.array(z.string().trim().min(1)).max(500),
        ledger: z.strictObject({ program: z.string().trim().min(1), allocated: z.string().trim().min(1) }).optional(),
      })
      .optional(),
  })
  .refine((m) => m.id === `${m.family}-${m.year}`, { message: 'id must be "<family>-<year>"', path: ['id'] });

/** The shape of one of our files: metadata plus the SurveyJS JSON. */
export const surveyFileSchema = z.strictObject({
  meta: surveyMetaSchema,
  survey: z.record(z.string(), z.unknown()),
});

/** Readable one-line-per-problem text for a zod error on a survey file. */
export function formatIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return where ? `${where}: ${i.message}` : i.message;
  });
}
