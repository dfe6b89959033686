import { sql, type RawBuilder } from 'kysely';
import { SIZE_CLASSES } from '../../utils/size-class';
import { getCodebook, getSurvey } from '../surveys/surveys.server';
import type { Resolved } from './assemble';
import { ComparisonError } from './errors';

type CodebookEntry = Awaited<ReturnType<typeof getCodebook>>[number];

/** Finds a comparable question in a survey (a matrix row is `question.row`). */
export async function resolveQuestion(surveyId: string, question: string, usage: 'measure' | 'groupBy'): Promise<Resolved & { surveyTitle: string }> {
  const survey = await getSurvey(surveyId);
  if (!survey) throw new ComparisonError(`Unknown survey "${surveyId}"`, `Enkäten "${surveyId}" finns inte`);
  const codebook: readonly CodebookEntry[] = await getCodebook(survey);
  let entry = codebook.find((e) => e.key === question);
  let options = entry?.options ?? [];
  let label = entry?.text ?? question;
  if (!entry && question.includes('.')) {
    const [base, row] = [question.slice(0, question.indexOf('.')), question.slice(question.indexOf('.') + 1)];
    const matrix = codebook.find((e) => e.key === base && e.kind === 'matrix');
    const rowInfo = matrix?.rows?.find((r) => r.value === row);
    if (matrix && rowInfo) {
      entry = { ...matrix, kind: 'single' };
      options = matrix.options ?? matrix.columns?.map((c) => ({ value: c.name, label: c.label })) ?? [];
      label = `${matrix.text}: ${rowInfo.label}`;
    }
  }
  if (!entry)
    throw new ComparisonError(`Unknown question "${question}" in survey "${surveyId}"`, `Frågan "${question}" finns inte i enkäten "${surveyId}"`);
  const kind = entry.kind === 'computed' ? 'numeric' : entry.kind;
  const allowed = usage === 'measure' ? ['single', 'multiple', 'numeric', 'boolean'] : ['single', 'boolean'];
  if (!allowed.includes(kind))
    throw new ComparisonError(
      `Question "${question}" is ${entry.kind}; ${usage === 'measure' ? 'only single choice, multiple choice and numeric questions can be compared' : 'only single choice questions can group'}`,
      `Frågan "${question}" kan inte ${usage === 'measure' ? 'jämföras (bara enkelval, flerval och tal går)' : 'användas för uppdelning (bara enkelval går)'}`,
    );
  if (kind === 'boolean') options = [{ value: 'true', label: 'Ja' }, { value: 'false', label: 'Nej' }];
  return { kind: kind as Resolved['kind'], label, options: options.map((o) => ({ value: String(o.value), label: o.label })), surveyTitle: survey.meta.title };
}


export function sizeClassSql(): RawBuilder<string | null> {
  // Built from SIZE_CLASSES so the SQL and app/utils/size-class.ts cannot disagree.
  const whens = [...SIZE_CLASSES].reverse().map((c) => sql`when o.population >= ${sql.lit(c.min)} then ${sql.lit(c.key)}`);
  return sql<string | null>`case when o.population is null then null ${sql.join(whens, sql` `)} end`;
}

