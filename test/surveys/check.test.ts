import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerSchema, checkSurveyJson, getCodebook, getSurveys, loadSurveysFrom, SurveyLoadError, validateAnswers } from '../../app/models/surveys/surveys.server';
import { cli, elements, inMemorySurvey, readJson, SURVEYS, tempDir, THIRD_PARTY, writeJson } from './helpers';

const ourFiles = fs.readdirSync(SURVEYS).filter((f) => f.endsWith('.json')).sort();
const thirdParty = fs.readdirSync(THIRD_PARTY).filter((f) => f.endsWith('.json')).sort();

describe('check-survey on our files', () => {
  it('finds the twelve instruments', () => {
    expect(ourFiles).toHaveLength(12);
    expect(getSurveys().map((s) => s.meta.id).sort()).toEqual(ourFiles.map((f) => f.replace(/\.json$/, '')));
  });

  it.each(ourFiles)('%s passes with no errors', async (file) => {
    const { code, stdout } = await cli('check-survey', path.join(SURVEYS, file));
    expect(stdout).toMatch(/: OK \(survey file; 0 errors/);
    expect(stdout).not.toMatch(/: error:/);
    expect(code).toBe(0);
  });
});

describe('check-survey on the 35 SurveyJS example forms', () => {
  it('has all 35 copied with their licence', () => {
    expect(thirdParty).toHaveLength(35);
    expect(fs.readFileSync(path.join(THIRD_PARTY, 'LICENSE'), 'utf8')).toMatch(/MIT License/);
  });

  it.each(thirdParty)('%s is checked as a plain form without crashing', async (file) => {
    const { code, stdout, stderr } = await cli('check-survey', path.join(THIRD_PARTY, file));
    expect(stderr).toBe('');
    expect(stdout).toMatch(/plain SurveyJS form/);
    const broken = ['custom-question.json', 'questiontype-dropdown.json'];
    expect(code).toBe(broken.includes(file) ? 1 : 0);
  });

  it('names the problems of the two broken ones', async () => {
    const custom = await cli('check-survey', path.join(THIRD_PARTY, 'custom-question.json'));
    expect(custom.stdout).toMatch(/error: element "name" has unknown type "emoji"/);
    const dropdown = await cli('check-survey', path.join(THIRD_PARTY, 'questiontype-dropdown.json'));
    expect(dropdown.stdout).toMatch(/error: survey-core: Unknown property in class 'dropdown': 'colCount'/);
  });

  it.each(thirdParty.filter((f) => f !== 'custom-question.json'))('%s gets a codebook and a strict schema', (file) => {
    const survey = inMemorySurvey(readJson(path.join(THIRD_PARTY, file)));
    // Every codebook key is a key the schema accepts, and every question key is in the codebook.
    const codebook = getCodebook(survey).map((e) => e.key);
    const schemaKeys = Object.keys(answerSchema(survey).shape);
    expect(schemaKeys).toEqual(expect.arrayContaining(codebook));
    expect(codebook).toEqual(expect.arrayContaining(schemaKeys.filter((k) => !k.endsWith('-total'))));
    expect(validateAnswers(survey, {}, 'draft').ok).toBe(true);
    expect(validateAnswers(survey, { no_such_question_here: 1 }, 'draft').ok).toBe(false);
    expect(() => validateAnswers(survey, {}, 'submit')).not.toThrow();
  });

  it('warns, without failing, about choices loaded from the network', async () => {
    const { code, stdout } = await cli('check-survey', path.join(THIRD_PARTY, 'questiontype-dropdownrestfull.json'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/warning: .*choicesByUrl/);
  });
});

describe('each check catches its fault', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(() => tmp?.remove());

  /** Writes a modified copy of one of our files and runs check-survey on it. */
  async function checkModified(source: string, change: (json: any) => void, name = source) {
    tmp = tempDir();
    const json = readJson(path.join(SURVEYS, source));
    change(json);
    const file = path.join(tmp.dir, name);
    writeJson(file, json);
    return cli('check-survey', file);
  }

  it('a duplicate question name', async () => {
    const { code, stdout } = await checkModified('oj-vinr-2019.json', (j) => {
      j.survey.pages.at(-1).elements.push({ type: 'radiogroup', name: 'fortbildning_vuxna', title: 'Igen', choices: ['ja', 'nej'] });
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: survey: duplicate question name "fortbildning_vuxna"/);
  });

  it('a duplicate name inside a dynamic panel, but not the same column name in two matrices', () => {
    const survey = {
      elements: [
        { type: 'paneldynamic', name: 'personer', templateElements: [{ type: 'text', name: 'namn' }, { type: 'text', name: 'namn' }] },
        { type: 'matrixdropdown', name: 'm1', rows: ['a', 'b'], columns: [{ name: 'betyg', cellType: 'text' }] },
        { type: 'matrixdropdown', name: 'm2', rows: ['a'], columns: [{ name: 'betyg', cellType: 'text' }] },
      ],
    };
    const { errors } = checkSurveyJson(survey);
    expect(errors).toEqual(['duplicate question name "namn" in "personer"']);
  });

  it('a duplicate choice value', () => {
    const { errors } = checkSurveyJson({ elements: [{ type: 'radiogroup', name: 'q', choices: ['ja', 'nej', { value: 'ja', text: 'Ja igen' }] }] });
    expect(errors).toEqual(['question "q": duplicate choice value "ja"']);
  });

  it('an unknown question type', async () => {
    const { code, stdout } = await checkModified('oj-vinr-2019.json', (j) => {
      j.survey.pages[0].elements.push({ type: 'smiley', name: 'humor' });
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: survey: element "humor" has unknown type "smiley"/);
  });

  it('a changed choice within a family', async () => {
    const { code, stdout } = await checkModified(
      'oj-vinr-2019.json',
      (j) => {
        j.meta.id = 'oj-vinr-2020';
        j.meta.year = 2020;
        const q = j.survey.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === 'systematisk_uppfoljning');
        q.choices = q.choices.map((c: any) => (c.value === 'delvis' ? { ...c, value: 'delvis_ja' } : c));
      },
      'oj-vinr-2020.json',
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: family: key "systematisk_uppfoljning": choice "delvis" of oj-vinr-2019 is missing in oj-vinr-2020/);
  });

  it('an added choice within a family is fine', async () => {
    const { code, stdout } = await checkModified(
      'oj-vinr-2019.json',
      (j) => {
        j.meta.id = 'oj-vinr-2020';
        j.meta.year = 2020;
        const q = j.survey.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === 'systematisk_uppfoljning');
        q.choices.push({ value: 'planeras', text: 'Planeras' });
      },
      'oj-vinr-2020.json',
    );
    expect(stdout).not.toMatch(/: error:/);
    expect(code).toBe(0);
  });

  it('a relabelled choice within a family is a warning, not an error', async () => {
    const { code, stdout } = await checkModified(
      'oj-vinr-2019.json',
      (j) => {
        j.meta.id = 'oj-vinr-2020';
        j.meta.year = 2020;
        const q = elements(j.survey).find((e) => e.name === 'systematisk_uppfoljning');
        q.choices = q.choices.map((c: any) => (c.value === 'delvis' ? { ...c, text: 'Till viss del' } : c));
      },
      'oj-vinr-2020.json',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/warning: family: key "systematisk_uppfoljning": choice "delvis" is labelled "Delvis" in oj-vinr-2019 but "Till viss del" in oj-vinr-2020/);
  });

  it('a key whose type changes within a family', async () => {
    const { code, stdout } = await checkModified(
      'oj-vinr-2019.json',
      (j) => {
        j.meta.id = 'oj-vinr-2020';
        j.meta.year = 2020;
        const q = j.survey.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === 'freda_kortfragor');
        q.type = 'checkbox';
      },
      'oj-vinr-2020.json',
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: family: key "freda_kortfragor" is radiogroup in oj-vinr-2019 but checkbox in oj-vinr-2020/);
  });

  it('broken metadata', async () => {
    const { code, stdout } = await checkModified('oj-vinr-2019.json', (j) => {
      j.meta.audience = ['kommuner'];
      j.meta.defaultDeadline = '31-05';
      delete j.meta.title;
      j.meta.year = '2019';
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: meta\.audience: must be a list of organisation kinds/);
    expect(stdout).toMatch(/error: meta\.defaultDeadline: is not a date/);
    expect(stdout).toMatch(/error: meta\.title:/);
    expect(stdout).toMatch(/error: meta\.year:/);
  });

  it('an expression that refers to a question that does not exist', async () => {
    const { code, stdout } = await checkModified('oj-vinr-2019.json', (j) => {
      elements(j.survey).find((e) => e.name === 'fortbildning_barn').visibleIf = "{fortbildning_vuxen} = 'ja'";
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/refers to \{fortbildning_vuxen\}, which is not a question/);
  });

  it('a file that is not JSON, and a file that does not exist', async () => {
    tmp = tempDir();
    const file = path.join(tmp.dir, 'trasig.json');
    fs.writeFileSync(file, '{ "meta": ');
    const broken = await cli('check-survey', file);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/error: not valid JSON/);
    const missing = await cli('check-survey', path.join(tmp.dir, 'saknas.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read .*saknas\.json: ENOENT/);
  });
});

describe('loading a survey folder', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(() => tmp?.remove());

  it('throws a SurveyLoadError naming the broken file and its problem', () => {
    tmp = tempDir();
    for (const f of ['oj-vinr-2018.json', 'oj-vinr-2019.json']) fs.copyFileSync(path.join(SURVEYS, f), path.join(tmp.dir, f));
    const broken = readJson(path.join(SURVEYS, 'oj-vinr-2019.json'));
    broken.meta.id = 'oj-vinr-2017';
    broken.meta.year = 2017;
    broken.survey.pages[0].elements.push({ type: 'emoji', name: 'smiley' });
    writeJson(path.join(tmp.dir, 'oj-vinr-2017.json'), broken);
    expect(() => loadSurveysFrom(tmp!.dir)).toThrow(SurveyLoadError);
    expect(() => loadSurveysFrom(tmp!.dir)).toThrow(/oj-vinr-2017\.json: .*unknown type "emoji"/);
    // The good files alone load.
    fs.rmSync(path.join(tmp.dir, 'oj-vinr-2017.json'));
    expect(loadSurveysFrom(tmp.dir).map((s) => s.meta.id)).toEqual(['oj-vinr-2018', 'oj-vinr-2019']);
  });

  it('names a file that is not JSON and a file named after another id', () => {
    tmp = tempDir();
    fs.writeFileSync(path.join(tmp.dir, 'halv.json'), '{"meta": {');
    fs.copyFileSync(path.join(SURVEYS, 'oj-vinr-2019.json'), path.join(tmp.dir, 'oj-vinr-2099.json'));
    let message = '';
    try {
      loadSurveysFrom(tmp.dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/halv\.json: not valid JSON/);
    expect(message).toMatch(/oj-vinr-2099\.json: meta\.id is "oj-vinr-2019", so the file must be named oj-vinr-2019\.json/);
  });

  it('names broken metadata precisely', () => {
    tmp = tempDir();
    const json = readJson(path.join(SURVEYS, 'oj-vinr-2019.json'));
    json.meta.audience = 'alla';
    writeJson(path.join(tmp.dir, 'oj-vinr-2019.json'), json);
    expect(() => loadSurveysFrom(tmp!.dir)).toThrow(/oj-vinr-2019\.json: meta\.audience: must be a list of organisation kinds/);
  });

  it('makes `surveys` and `setup` fail with the file name when SURVEYS_DIR is broken', async () => {
    tmp = tempDir();
    fs.writeFileSync(path.join(tmp.dir, 'trasig-2020.json'), '[]');
    const before = process.env.SURVEYS_DIR;
    process.env.SURVEYS_DIR = tmp.dir;
    try {
      const { code, stderr } = await cli('surveys');
      expect(code).toBe(1);
      expect(stderr).toMatch(/trasig-2020\.json: not a survey file/);
      // setup checks the surveys before it touches the database.
      const setup = await cli('setup');
      expect(setup.code).toBe(1);
      expect(setup.stderr).toMatch(/^Error: Broken survey file:\n.*trasig-2020\.json: not a survey file/);
    } finally {
      if (before === undefined) delete process.env.SURVEYS_DIR;
      else process.env.SURVEYS_DIR = before;
    }
  });
});
