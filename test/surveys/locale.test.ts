import { surveyLocalization } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../app/models/surveys/model.server';
import { surveyString, SWEDISH_FIXES } from '../../app/utils/survey-locale';

describe('Swedish SurveyJS strings', () => {
  it('replaces the machine translations', () => {
    expect(surveyString('ok')).toBe('OK');
    expect(surveyString('cancel')).toBe('Avbryt');
    expect(surveyString('tagboxDoneButtonCaption')).toBe('OK');
    expect(surveyString('clearCaption')).toBe('Rensa');
    expect(surveyString('loadingPage')).toBe('Läser in …');
    expect(surveyString('textMaxLength').replace('{0}', '5')).toBe('Ange högst 5 tecken.');
  });

  it('leaves no English or odd word in the table', () => {
    const sv = surveyLocalization.getLocaleStrings('sv') as Record<string, string>;
    const en = surveyLocalization.getLocaleStrings('en') as Record<string, string>;
    for (const odd of ['OKEJ', 'Annullera', 'Lastning', 'Utvald', 'Var vänlig', 'varianter', 'anmälningar', 'Artikel']) {
      expect(Object.values(sv).join('\n'), odd).not.toContain(odd);
    }
    // Every English key has a Swedish string (no fallback to English in the form).
    expect(Object.keys(en).filter((k) => !(k in sv))).toEqual([]);
    for (const key of Object.keys(SWEDISH_FIXES)) expect(en, key).toHaveProperty(key);
  });

  it('shows Swedish navigation and messages in a model', () => {
    const model = createModel({ pages: [{ elements: [{ type: 'text', name: 'a', isRequired: true }] }, { elements: [{ type: 'text', name: 'b' }] }] });
    expect(model.pageNextText).toBe('Nästa');
    expect(model.pagePrevText).toBe('Föregående');
    model.validate(true);
    expect(model.getQuestionByName('a').errors[0].getText()).toBe('Frågan måste besvaras.');
  });
});
