/**
 * Issue 17 §2: the answer schema and check-survey on real SurveyJS forms. The schema refuses
 * only what survey-core refuses, plus the documented additions (surveys/README.md); check-survey
 * refuses a form only for a reason it names.
 */
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { checkSurveyJson, validateAnswers } from '../../app/models/surveys/surveys.server';
import { inMemorySurvey } from './helpers';

const fresh = (json: object, data: object) => {
  const model = new Model(json);
  model.data = structuredClone(data);
  return model.validate(true);
};

describe('answer schema on real SurveyJS forms', () => {
  it('a dropdown with choicesMin/choicesMax accepts its generated numbers (and its default), not others', () => {
    const json = { elements: [{ type: 'dropdown', name: 'd', choicesMin: 1, choicesMax: 9, choicesStep: 2, defaultValue: 3 }] };
    const survey = inMemorySurvey(json);
    for (const d of [1, 3, 9]) expect(validateAnswers(survey, { d }, 'submit')).toMatchObject({ ok: true });
    expect(fresh(json, { d: 3 })).toBe(true);
    const wrong = validateAnswers(survey, { d: 4 }, 'submit');
    expect(wrong).toMatchObject({ ok: false, errors: [{ question: 'd', code: 'unknown_choice' }] });
    expect(checkSurveyJson(json)).toEqual({ errors: [], warnings: [] });
  });

  it('valuePropertyName data is accepted as survey-core stores it; unknown choices and keys inside are not', () => {
    const json = { elements: [{ type: 'checkbox', name: 'f', valuePropertyName: 'fruit', choices: ['apple', 'pear'], isRequired: true }] };
    const survey = inMemorySurvey(json);
    expect(fresh(json, { f: [{ fruit: 'apple' }] })).toBe(true);
    expect(validateAnswers(survey, { f: [{ fruit: 'apple' }, { fruit: 'pear' }] }, 'submit')).toMatchObject({ ok: true });
    expect(validateAnswers(survey, { f: [{ fruit: 'plum' }] }, 'submit')).toMatchObject({ ok: false, errors: [{ code: 'unknown_choice' }] });
    expect(validateAnswers(survey, { f: [{ fruit: 'apple', x: 1 }] }, 'submit')).toMatchObject({ ok: false, errors: [{ code: 'unknown_key' }] });
    expect(validateAnswers(survey, { f: ['apple'] }, 'submit').ok).toBe(false);
  });

  it('two questions sharing one valueName: the key takes what either stores', () => {
    const json = { elements: [{ type: 'radiogroup', name: 'b', valueName: 'x', choices: ['ja', 'nej'] }, { type: 'text', name: 'a', valueName: 'x' }] };
    const survey = inMemorySurvey(json);
    for (const x of ['ja', 'fritext']) {
      expect(fresh(json, { x })).toBe(true);
      expect(validateAnswers(survey, { x }, 'submit')).toMatchObject({ ok: true });
    }
    expect(validateAnswers(survey, { x: ['ja'] }, 'submit').ok).toBe(false);
  });

  it('"12" in an inputType number question is refused (deliberate: numbers are stored as numbers), though survey-core accepts it', () => {
    const json = { elements: [{ type: 'text', name: 'n', inputType: 'number' }] };
    expect(fresh(json, { n: '12' })).toBe(true);
    expect(validateAnswers(inMemorySurvey(json), { n: '12' }, 'submit')).toMatchObject({ ok: false, errors: [{ question: 'n', code: 'wrong_type' }] });
    expect(validateAnswers(inMemorySurvey(json), { n: 12 }, 'submit')).toMatchObject({ ok: true });
  });

  it('errors in a dynamic matrix name the row number the respondent sees, not survey-core row ids', () => {
    const survey = inMemorySurvey({ elements: [{ type: 'matrixdynamic', name: 'm', rowCount: 0, columns: [{ name: 'a', cellType: 'text', isRequired: true }] }] });
    const result = validateAnswers(survey, { m: [{ a: 'x' }, {}] }, 'submit');
    expect(result.ok).toBe(false);
    const details = result.ok ? [] : result.errors.map((e) => e.detail);
    expect(details).toEqual(['Question "m" (row 2, column a): an answer is required.']);
    expect(details.join()).not.toMatch(/srow/);
  });
});

describe('check-survey on real SurveyJS forms', () => {
  const template = [
    { name: 'a', type: 'text', isRequired: true },
    { name: 'c', type: 'radiogroup', choices: ['x', 'y'] },
    { name: 'mt', type: 'multipletext', items: [{ name: 'i' }, { name: 'j' }] },
  ];
  for (const panelCount of [undefined, 0, 1, 2, 3]) {
    it(`accepts a valid paneldynamic with panelCount ${panelCount ?? '(default)'}`, () => {
      expect(checkSurveyJson({ elements: [{ type: 'paneldynamic', name: 'p', panelCount, templateElements: template }] })).toEqual({ errors: [], warnings: [] });
    });
  }

  it('warns about a choice question without choices (it can never be answered), not about generated ones', () => {
    expect(checkSurveyJson({ elements: [{ type: 'dropdown', name: 'd' }] })).toEqual({ errors: [], warnings: ['question "d" has no choices, so it can never be answered'] });
    expect(checkSurveyJson({ elements: [{ type: 'dropdown', name: 'd', choicesMin: 1, choicesMax: 3 }] })).toEqual({ errors: [], warnings: [] });
  });

  it('still refuses real duplicates in a dynamic panel template, naming them', () => {
    const result = checkSurveyJson({ elements: [{ type: 'paneldynamic', name: 'p', panelCount: 2, templateElements: [{ name: 'a', type: 'text' }, { name: 'a', type: 'comment' }, { name: 'c', type: 'radiogroup', choices: ['x', 'x'] }] }] });
    expect(result.errors).toEqual(['duplicate question name "a" in "p"', 'question "p" → "c": duplicate choice value "x"']);
  });
});
