/**
 * Server validation gives exactly the verdict of a fresh survey-core model
 * (`new Model(json); model.data = data; model.validate(true)`), whatever ran before it
 * (issue 17, sections 1 and 2). Answer sets are generated from each form's own questions and
 * validated in a seeded random order, each one twice, so a model reused between requests would
 * show any state it keeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { usesPooledModels } from '../../app/models/surveys/model.server';
import { validateAnswers } from '../../app/models/surveys/surveys.server';
import { inMemorySurvey } from './helpers';

const CORPUS = '/work/shared/testdata/surveyjs';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function freshVerdict(json: unknown, data: Record<string, unknown>): boolean {
  const model = new Model(json as object);
  model.data = structuredClone(data);
  return model.validate(true);
}

/** A value survey-core itself could store for the question, or undefined (left unanswered). */
function answer(q: any, random: () => number, depth = 0): unknown {
  const pick = <T,>(list: T[]): T | undefined => (list.length ? list[Math.floor(random() * list.length)] : undefined);
  const maybe = (v: () => unknown) => (random() < 0.6 ? v() : undefined);
  const type: string = q.getType();
  const choices = () => (q.visibleChoices ?? []).map((c: any) => c.value);
  switch (type) {
    case 'radiogroup':
    case 'dropdown':
    case 'buttongroup':
      return pick(choices());
    case 'checkbox':
    case 'tagbox':
    case 'ranking': {
      const values = choices().filter(() => random() < 0.5);
      if (!values.length) return undefined;
      return q.valuePropertyName ? values.map((v: unknown) => ({ [q.valuePropertyName]: v })) : values;
    }
    case 'imagepicker':
      return q.multiSelect ? choices().filter(() => random() < 0.5) : pick(choices());
    case 'boolean':
      return pick([q.valueTrue ?? true, q.valueFalse ?? false]);
    case 'rating':
      return pick((q.visibleRateValues ?? []).map((c: any) => c.value));
    case 'text':
      if (['number', 'range'].includes(q.inputType)) return pick([0, 7, 12.5, -3, 150]);
      if (q.inputType === 'email') return pick(['anna@kommun.se', 'inte-en-adress']);
      if (q.inputType === 'date') return '2020-05-31';
      return pick(['ja', 'Anna Andersson', '12', '']);
    case 'comment':
      return pick(['En kommentar', '']);
    case 'matrix': {
      const cols = (q.columns ?? []).map((c: any) => c.value);
      const out: Record<string, unknown> = {};
      for (const r of q.rows ?? []) if (random() < 0.6) out[String(r.value)] = pick(cols);
      return Object.keys(out).length ? out : undefined;
    }
    case 'matrixdropdown':
    case 'matrixdynamic': {
      const row = () => {
        const out: Record<string, unknown> = {};
        for (const c of q.columns ?? []) {
          const v = c.templateQuestion && depth < 2 ? maybe(() => answer(c.templateQuestion, random, depth + 1)) : undefined;
          if (v !== undefined) out[c.name] = v;
        }
        return out;
      };
      if (type === 'matrixdynamic') return pick([[], [row()], [row(), row()], [row(), row(), row()], undefined]);
      const out: Record<string, unknown> = {};
      for (const r of q.rows ?? []) if (random() < 0.6) out[String(r.value)] = row();
      return Object.keys(out).length ? out : undefined;
    }
    case 'multipletext': {
      const out: Record<string, unknown> = {};
      for (const item of q.items ?? []) if (random() < 0.6) out[item.name] = item.inputType === 'number' ? 5 : 'text';
      return Object.keys(out).length ? out : undefined;
    }
    case 'paneldynamic': {
      const panel = () => {
        const out: Record<string, unknown> = {};
        for (const t of q.template?.questions ?? []) {
          const v = depth < 2 ? maybe(() => answer(t, random, depth + 1)) : undefined;
          if (v !== undefined) out[t.getValueName()] = v;
        }
        return out;
      };
      return pick([[], [panel()], [panel(), panel()], [panel(), panel(), panel()], undefined]);
    }
    default:
      // file, signaturepad, expression, html, image, custom components: left unanswered.
      return undefined;
  }
}

/** `{}` and `count` generated answer sets for the form. */
function answerSets(json: unknown, seed: number, count: number): Record<string, unknown>[] {
  const random = rng(seed);
  const model = new Model(json as object);
  const sets: Record<string, unknown>[] = [{}];
  for (let i = 0; i < count; i++) {
    const data: Record<string, unknown> = {};
    for (const q of model.getAllQuestions(false, false, false)) {
      if (random() >= 0.7) continue;
      const v = answer(q, random);
      if (v !== undefined) data[q.getValueName()] = v;
    }
    sets.push(JSON.parse(JSON.stringify(data)));
  }
  return sets;
}

interface Disagreement {
  form: string;
  data: Record<string, unknown>;
  fresh: boolean;
  ours: boolean;
  schema: string[];
}

/** Validates the sets twice each, in a seeded random order, and lists every verdict unlike a fresh model's. */
function compare(form: string, json: Record<string, unknown>, sets: Record<string, unknown>[], seed: number): Disagreement[] {
  const survey = inMemorySurvey(json);
  const out: Disagreement[] = [];
  for (const data of shuffle([...sets, ...sets], rng(seed))) {
    const fresh = freshVerdict(json, data);
    const result = validateAnswers(survey, structuredClone(data), 'submit');
    if (result.ok === fresh) continue;
    const draft = validateAnswers(survey, data, 'draft');
    out.push({ form, data, fresh, ours: result.ok, schema: draft.ok ? [] : draft.errors.map((e) => `${e.question}: ${e.code}`) });
  }
  return out;
}

const MATRIX = { elements: [{ type: 'matrixdynamic', name: 'm', rowCount: 2, columns: [{ name: 'a', cellType: 'text', isRequired: true }] }] };
const PANELS = { elements: [{ type: 'paneldynamic', name: 'p', panelCount: 2, templateElements: [{ name: 'a', type: 'text', isRequired: true }] }] };

describe('validation state does not leak between answer sets', () => {
  it('matrixdynamic with rowCount: {} fails after {"m":[]} passed, as on a fresh model', () => {
    const survey = inMemorySurvey(MATRIX);
    const verdicts = [{}, { m: [] }, {}, { m: [{ a: 'x' }] }, {}, { m: [{}] }, { m: [] }, {}].map((d) => validateAnswers(survey, d, 'submit').ok);
    expect(verdicts).toEqual([{}, { m: [] }, {}, { m: [{ a: 'x' }] }, {}, { m: [{}] }, { m: [] }, {}].map((d) => freshVerdict(MATRIX, d)));
    expect(verdicts).toEqual([false, true, false, true, false, false, true, false]);
  });

  it('paneldynamic with panelCount: the same data gets the same verdict in any order', () => {
    const survey = inMemorySurvey(PANELS);
    const sets = [{}, { p: [] }, { p: [{ a: 'x' }] }, { p: [{ a: 'x' }, {}] }, { p: [{ a: 'x' }, { a: 'y' }] }, { p: [{ a: 'x' }, { a: 'y' }, { a: 'z' }] }];
    for (const seed of [1, 2, 3]) {
      for (const data of shuffle([...sets, ...sets], rng(seed))) expect(validateAnswers(survey, data, 'submit').ok, JSON.stringify(data)).toBe(freshVerdict(PANELS, data));
    }
  });

  it('forms with dynamic questions get a fresh model; others keep the pool', () => {
    expect(usesPooledModels(inMemorySurvey(MATRIX))).toBe(false);
    expect(usesPooledModels(inMemorySurvey(PANELS))).toBe(false);
    expect(usesPooledModels(inMemorySurvey({ elements: [{ type: 'text', name: 't', isRequired: true }] }))).toBe(true);
  });

  it('seeded random sequences on dynamic forms agree with a fresh model', () => {
    const nested = {
      elements: [
        { type: 'paneldynamic', name: 'p', panelCount: 2, templateElements: [{ type: 'matrixdynamic', name: 'm', rowCount: 1, columns: [{ name: 'a', cellType: 'text', isRequired: true }] }] },
        { type: 'matrixdynamic', name: 'n', minRowCount: 1, columns: [{ name: 'b', cellType: 'dropdown', choices: ['x', 'y'], isRequired: true }] },
      ],
    };
    const problems = [MATRIX, PANELS, nested].flatMap((json, i) => compare(`form ${i}`, json, answerSets(json, 100 + i, 30), 200 + i));
    expect(problems).toEqual([]);
  }, 120_000); // ~600 fresh-model validations: 10 s alone, over 40 s on a loaded 2-core machine
});

describe('forms with the features issue 17 §2 found refused agree with a fresh model', () => {
  const forms: Record<string, Record<string, unknown>> = {
    'generated dropdown choices': { elements: [{ type: 'dropdown', name: 'd', choicesMin: 1, choicesMax: 10, isRequired: true }] },
    valuePropertyName: { elements: [{ type: 'checkbox', name: 'f', valuePropertyName: 'fruit', choices: ['apple', 'pear', 'plum'], isRequired: true }] },
    'shared valueName': {
      elements: [
        { type: 'radiogroup', name: 'b', valueName: 'x', choices: ['ja', 'nej'], isRequired: true },
        { type: 'text', name: 'a', valueName: 'x' },
      ],
    },
    'paneldynamic, two panels': { elements: [{ type: 'paneldynamic', name: 'p', panelCount: 2, templateElements: [{ type: 'radiogroup', name: 'c', choices: ['x', 'y'], isRequired: true }, { type: 'text', name: 't' }] }] },
  };
  for (const [i, [name, json]] of Object.entries(forms).entries()) {
    it(name, () => {
      expect(compare(name, json, answerSets(json, 300 + i, 20), 400 + i)).toEqual([]);
    });
  }
});

/**
 * The platform's deliberate additions to survey-core (surveys/README.md): it refuses unknown
 * keys, unknown choices, wrong types and oversized values, which survey-core accepts. The
 * generator only produces values survey-core can store, so every disagreement left is listed
 * here by form, with the reason.
 */
const DOCUMENTED: { form: string; reason: string; match: (d: Disagreement) => boolean }[] = [];

describe('every SurveyJS corpus form agrees with a fresh survey-core model', () => {
  const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort();
  it('has the corpus', () => expect(files.length).toBeGreaterThanOrEqual(35));
  for (const [i, file] of files.entries()) {
    it(file, () => {
      const json = JSON.parse(fs.readFileSync(path.join(CORPUS, file), 'utf8'));
      const problems = compare(file, json, answerSets(json, 1000 + i, 12), 2000 + i).filter((d) => !DOCUMENTED.some((x) => x.form === file && x.match(d)));
      expect(problems).toEqual([]);
    });
  }
});
