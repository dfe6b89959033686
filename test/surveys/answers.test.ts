import { describe, expect, it } from 'vitest';
import { answerSchema, getCodebook, getSurvey, getSurveys, validateAnswers, type AnswerError, type LoadedSurvey } from '../../app/models/surveys/surveys.server';
import { createModel, topQuestion } from '../../app/models/surveys/model.server';
import { elements, inMemorySurvey, VALID } from './helpers';

const surveys = getSurveys();
const ekonomi = surveys.filter((s) => s.meta.family.startsWith('aterrapportering'));

function errorsOf(survey: LoadedSurvey, data: unknown, mode: 'draft' | 'submit' | 'partial' = 'submit'): AnswerError[] {
  const result = validateAnswers(survey, data, mode);
  if (result.ok) throw new Error(`expected errors for ${survey.meta.id}, got ok`);
  return result.errors;
}

/** A question of the survey that is always shown (no visibleIf on it or its panel). */
function alwaysShown(survey: LoadedSurvey, key: string): boolean {
  const conditional = new Set<string>();
  const walk = (list: any[] | undefined, hidden: boolean) => {
    for (const el of list ?? []) {
      const h = hidden || Boolean(el.visibleIf);
      if (h) conditional.add(el.name);
      walk(el.elements, h);
    }
  };
  for (const p of (survey.json as any).pages) walk(p.elements, Boolean(p.visibleIf));
  return !conditional.has(key);
}

describe.each(surveys.map((s) => [s.meta.id, s] as const))('%s', (id, survey) => {
  const valid = VALID[id];
  const codebook = getCodebook(survey);

  it('accepts the complete valid answer set on submit', () => {
    expect(valid, `test/fixtures/valid-answers.json has no set for ${id}`).toBeDefined();
    const result = validateAnswers(survey, valid, 'submit');
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('rejects an unknown key, naming it', () => {
    const errors = errorsOf(survey, { ...valid, finns_inte: 'ja' });
    expect(errors).toEqual([expect.objectContaining({ question: 'finns_inte', code: 'unknown_key', message: 'Frågan ”finns_inte” finns inte i enkäten.' })]);
  });

  it('rejects an unknown choice, naming the question and the value', () => {
    const single = codebook.find((e) => e.kind === 'single' && e.key in valid)!;
    const errors = errorsOf(survey, { ...valid, [single.key]: 'ogiltigt_val' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ question: single.key, code: 'unknown_choice', message: '"ogiltigt_val" är inte ett av svarsalternativen.' });
    expect(errors[0].detail).toContain(`Question "${single.key}": "ogiltigt_val"`);
  });

  it('rejects a value of the wrong type', () => {
    // A list or matrix given a number, or (where there is none) a single choice given a list.
    const multiple = codebook.find((e) => (e.kind === 'multiple' || e.kind === 'matrix') && e.key in valid);
    const single = codebook.find((e) => e.kind === 'single' && e.key in valid)!;
    const [key, value] = multiple ? [multiple.key, 42] : [single.key, ['ja']];
    const errors = errorsOf(survey, { ...valid, [key]: value });
    expect(errors).toEqual([expect.objectContaining({ question: key, code: 'wrong_type' })]);
    expect(errors[0].message).toMatch(/^Fel typ av svar: ska vara /);
  });

  it('rejects a missing required answer with the Swedish survey-core message', () => {
    const required = codebook.find((e) => e.required && e.key in valid && alwaysShown(survey, e.key))!;
    expect(required, 'every survey has an always-shown required question').toBeDefined();
    const { [required.key]: _removed, ...rest } = valid;
    const errors = errorsOf(survey, rest);
    expect(errors).toEqual([expect.objectContaining({ question: required.key, code: 'required', message: 'Frågan måste besvaras.' })]);
    // A draft may leave it out.
    expect(validateAnswers(survey, rest, 'draft').ok).toBe(true);
  });

  it('rejects answers that are not an object', () => {
    for (const bad of [null, [], 'ja', 3]) expect(errorsOf(survey, bad)[0]).toMatchObject({ question: null, code: 'not_object' });
  });
});

describe.each(ekonomi.map((s) => [s.meta.id, s] as const))('economic report of %s', (id, survey) => {
  const valid = VALID[id] as Record<string, number>;

  it('rejects costs that do not sum to the used amount, on kostnad_summa', () => {
    const errors = errorsOf(survey, { ...valid, kostnad_personal: (valid.kostnad_personal ?? 0) + 1 });
    expect(errors).toEqual([
      expect.objectContaining({ question: 'kostnad_summa', code: 'rule', message: 'Summan av kostnaderna måste vara lika med förbrukat belopp.' }),
    ]);
  });

  it('rejects a used amount greater than the granted amount, on forbrukat_belopp', () => {
    const extra = valid.beviljat_belopp - valid.forbrukat_belopp + 1000;
    const errors = errorsOf(survey, { ...valid, forbrukat_belopp: valid.forbrukat_belopp + extra, kostnad_personal: (valid.kostnad_personal ?? 0) + extra });
    expect(errors).toEqual([
      expect.objectContaining({ question: 'forbrukat_belopp', code: 'rule', message: 'Förbrukat belopp får inte vara större än beviljat belopp.' }),
    ]);
    expect(errors[0].detail).toMatch(/rule \{forbrukat_belopp\} <= \{beviljat_belopp\} is false/);
  });

  it('rejects an amount given as text', () => {
    const errors = errorsOf(survey, { ...valid, beviljat_belopp: '250 000 kr' });
    expect(errors).toEqual([expect.objectContaining({ question: 'beviljat_belopp', code: 'wrong_type', message: 'Fel typ av svar: ska vara ett tal.' })]);
  });

  it('recomputes the amount to repay and the cost sum instead of trusting them', () => {
    const result = validateAnswers(survey, { ...valid, aterbetalas: 1, kostnad_summa: 2 }, 'submit');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.aterbetalas).toBe(valid.beviljat_belopp - valid.forbrukat_belopp);
    expect(result.data.kostnad_summa).toBe(valid.forbrukat_belopp);
  });
});

describe('hidden questions and drafts', () => {
  const survey = getSurvey('aterrapportering-kommun-2018')!;
  const valid = VALID['aterrapportering-kommun-2018'];

  it('drops answers to questions the respondent could not see', () => {
    const result = validateAnswers(survey, { ...valid, ledningssystem: 'nej' }, 'submit');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(valid.ledningssystem_arbete).toBeDefined();
    expect(result.data).not.toHaveProperty('ledningssystem_arbete');
    expect(result.data.ledningssystem).toBe('nej');
  });

  it('accepts a partial draft but still rejects unknown keys, choices and types in it', () => {
    expect(validateAnswers(survey, { ledningssystem: 'ja' }, 'draft')).toEqual({ ok: true, data: { ledningssystem: 'ja' } });
    const errors = errorsOf(survey, { ledningssystem: 'kanske', samverkan: 'intern', okand: 1 }, 'draft');
    expect(errors.map((e) => [e.question, e.code])).toEqual([
      ['ledningssystem', 'unknown_choice'],
      ['samverkan', 'wrong_type'],
      ['okand', 'unknown_key'],
    ]);
    expect(validateAnswers(survey, { beviljat_belopp: 5 }, 'partial').ok).toBe(true);
    expect(validateAnswers(survey, { beviljat_belopp: 'fem' }, 'partial').ok).toBe(false);
  });

  it('reports every failing question at once, each with English detail', () => {
    const errors = errorsOf(survey, { ...valid, ledningssystem: 'kanske', okand: 1, forbrukat_belopp: 999_999, samordningsfunktion: undefined });
    const byQuestion = Object.fromEntries(errors.map((e) => [e.question, e.code]));
    expect(byQuestion).toMatchObject({ ledningssystem: 'unknown_choice', okand: 'unknown_key', forbrukat_belopp: 'rule', kostnad_summa: 'rule' });
    for (const e of errors) expect(e.detail).toMatch(/^(Question|Unknown)/);
  });

  it('accepts "other" text in the -Comment key and rejects it elsewhere', () => {
    const ok = validateAnswers(survey, { ...valid, ledningssystem_arbete: ['processer', 'other'], 'ledningssystem_arbete-Comment': 'Utbildning' }, 'submit');
    expect(ok.ok).toBe(true);
    const missing = errorsOf(survey, { ...valid, ledningssystem_arbete: ['processer', 'other'] });
    expect(missing).toEqual([expect.objectContaining({ question: 'ledningssystem_arbete', code: 'required' })]);
    expect(errorsOf(survey, { ...valid, 'ledningssystem-Comment': 'x' })[0]).toMatchObject({ code: 'unknown_key' });
  });
});

describe('nested questions: matrices, dynamic panels, multiple text', () => {
  const survey = inMemorySurvey({
    pages: [
      {
        name: 'p1',
        elements: [
          {
            type: 'matrixdropdown',
            name: 'kostnader',
            rows: [{ value: 'personal', text: 'Personal' }, 'resor'],
            columns: [
              { name: 'belopp', cellType: 'text', inputType: 'number', isRequired: true, totalType: 'sum' },
              { name: 'typ', cellType: 'dropdown', choices: ['intern', 'extern'] },
            ],
          },
          { type: 'paneldynamic', name: 'kontakter', templateElements: [{ type: 'text', name: 'namn', isRequired: true }, { type: 'radiogroup', name: 'roll', choices: ['chef', 'handlaggare'] }] },
          { type: 'multipletext', name: 'adress', items: [{ name: 'gata' }, { name: 'postnummer', inputType: 'number' }] },
          { type: 'matrixdynamic', name: 'rader', columns: [{ name: 'text', cellType: 'text' }], rowCount: 0 },
        ],
      },
    ],
  });

  it('derives a schema of objects and arrays, with a -total key for column totals', () => {
    const schema = answerSchema(survey);
    expect(Object.keys(schema.shape).sort()).toEqual(['adress', 'kontakter', 'kostnader', 'kostnader-total', 'rader']);
    const ok = validateAnswers(
      survey,
      {
        kostnader: { personal: { belopp: 10, typ: 'intern' }, resor: { belopp: 5 } },
        'kostnader-total': { belopp: 15 },
        kontakter: [{ namn: 'Anna', roll: 'chef' }],
        adress: { gata: 'Storgatan 1', postnummer: 12345 },
        rader: [{ text: 'a' }],
      },
      'submit',
    );
    expect(ok.ok ? [] : ok.errors).toEqual([]);
  });

  it('rejects unknown rows, cells and panel keys and wrong cell types', () => {
    const errors = errorsOf(
      survey,
      { kostnader: { lokaler: { belopp: 1 }, personal: { belopp: 'tio', typ: 'annan' } }, kontakter: [{ namn: 'A', alder: 4 }], adress: { postnummer: '123' } },
      'draft',
    );
    expect(errors.map((e) => [e.question, e.code]).sort()).toEqual([
      ['adress', 'wrong_type'],
      ['kontakter', 'unknown_key'],
      ['kostnader', 'unknown_choice'],
      ['kostnader', 'unknown_key'],
      ['kostnader', 'wrong_type'],
    ]);
  });

  it('surfaces required errors inside matrix cells and dynamic panels on the parent question', () => {
    const errors = errorsOf(survey, { kostnader: { personal: { typ: 'intern' } }, kontakter: [{ roll: 'chef' }] });
    expect(errors.map((e) => e.detail).sort()).toEqual([
      'Question "kontakter" (panel 1, namn): an answer is required.',
      'Question "kostnader" (row personal, column belopp): an answer is required.',
      'Question "kostnader" (row resor, column belopp): an answer is required.',
    ]);
    expect(errors.every((e) => e.code === 'required' && e.message === 'Frågan måste besvaras.')).toBe(true);
  });
});

describe('agreement with plain survey-core', () => {
  /** What survey-core alone says: questions with errors after validate(true), data after completing. */
  function plain(survey: LoadedSurvey, data: Record<string, unknown>) {
    const model = createModel(survey.json);
    model.data = structuredClone(data);
    model.validate(true);
    const errors = new Set(model.getAllQuestions(true, false, true).filter((q) => q.errors.length).map((q) => topQuestion(q).getValueName()));
    model.doComplete();
    return { errors: [...errors].sort(), data: model.data };
  }

  it.each(surveys.map((s) => [s.meta.id, s] as const))('%s: same errors and same stored data', (id, survey) => {
    const valid = VALID[id];
    const codebook = getCodebook(survey);
    // Each single choice switched to its other values: shows and hides dependent questions.
    const variants: Record<string, unknown>[] = [valid, {}];
    for (const e of codebook.filter((c) => c.kind === 'single' && c.key in valid).slice(0, 4)) {
      for (const o of e.options ?? []) if (o.value !== valid[e.key]) variants.push({ ...valid, [e.key]: o.value });
    }
    for (const data of variants) {
      const expected = plain(survey, data);
      const result = validateAnswers(survey, data, 'submit');
      const ours = result.ok ? [] : [...new Set(result.errors.map((e) => e.question))].sort();
      expect(ours, JSON.stringify(data)).toEqual(expected.errors);
      if (result.ok) expect(result.data).toEqual(expected.data);
    }
  });
});

describe('the pooled models', () => {
  it('give the same result as fresh ones, whatever came before', () => {
    const survey = getSurvey('aterrapportering-kommun-2018')!;
    const valid = VALID['aterrapportering-kommun-2018'];
    const fresh = inMemorySurvey(survey.json, 'aterrapportering-kommun-2018');
    const cases = [valid, { ...valid, ledningssystem: 'nej' }, { ...valid, forbrukat_belopp: 999_999 }, { beviljat_belopp: 1 }, valid];
    for (const data of cases) {
      const pooled = validateAnswers(survey, data, 'submit');
      // A new LoadedSurvey object gets its own pool, so this is a first (fresh) model each time.
      const once = validateAnswers({ ...fresh }, data, 'submit');
      expect(pooled).toEqual(once);
    }
  });

  it('do not leak answers between validations', () => {
    const survey = getSurvey('oj-vinr-2019')!;
    expect(validateAnswers(survey, VALID['oj-vinr-2019'], 'submit').ok).toBe(true);
    const result = validateAnswers(survey, {}, 'submit');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.filter((e) => e.code === 'required').length).toBeGreaterThanOrEqual(10);
  });
});

it('the fixture keys of ÖJ 2019 that other parts rely on exist with their values', () => {
  const survey = getSurvey('oj-vinr-2019')!;
  const entries = Object.fromEntries(getCodebook(survey).map((e) => [e.key, e.options?.map((o) => o.value)]));
  for (const key of ['fortbildning_vuxna', 'fortbildning_barn', 'plan_kompetensutveckling', 'overenskommelse_primarvard', 'overenskommelse_kvinnojour', 'overenskommelse_polis', 'rutin_skyddade_uppgifter', 'kartlaggning_vald', 'freda_kortfragor']) {
    expect(entries[key], key).toEqual(['ja', 'nej']);
  }
  expect(entries.systematisk_uppfoljning).toEqual(['ja', 'delvis', 'nej']);
  expect(elements(survey.json).filter((e) => e.type !== 'html')).toHaveLength(11);
});
