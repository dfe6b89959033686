import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '~/models/auth/audit.server';
import { cloneVersion, createDraftFromUpload, editDraft, publishDraft, reviewDraft, saveDraftJson } from '~/models/publishing/publishing.server';
import { changeId, diffSurveys } from '~/models/surveys/diff.server';
import { getCodebook, getSurvey, getSurveys, setPublishedSurveys } from '~/models/surveys/surveys.server';
import { parseSurveyText } from '~/models/surveys/upload.server';
import { getVersionRow, listVersions, rowToSurvey, VersionError } from '~/models/surveys/versions.server';
import { freshDb, type TestDb } from '../helpers/db';

const admin = { id: null };
const base = () => structuredClone(getSurvey('oj-vinr-2019')!);
const draftOf = (json: Record<string, unknown>) => ({ meta: { ...base().meta, id: 'oj-vinr-2020', year: 2020 }, json, file: 'mem' });
const question = (json: any, name: string) => json.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === name);

describe('diff against the previous version, every class', () => {
  it('finds no change in a plain copy, and says trends continue', () => {
    const diff = diffSurveys(base(), draftOf(base().json));
    expect(diff.breaking).toEqual([]);
    expect(diff.changes.every((c) => c.kind === 'unchanged')).toBe(true);
    expect(diff.changes.find((c) => c.key === 'fortbildning_vuxna')!.effect).toBe('`fortbildning_vuxna` behåller nyckel och typ: trenden fortsätter.');
  });

  it('classifies added and removed questions, texts, choices, labels, recodes and types', () => {
    const json: any = base().json;
    question(json, 'fortbildning_vuxna').title = 'Ny text';
    question(json, 'fortbildning_barn').choices.push({ value: 'planeras', text: 'Planeras' });
    question(json, 'fortbildning_barn').choices[0].text = 'Ja, alla';
    const su = question(json, 'systematisk_uppfoljning');
    su.choices = su.choices.filter((c: any) => c.value !== 'delvis');
    const polis = question(json, 'overenskommelse_polis');
    polis.choices[0].value = 'ja_avtal'; // same label, new value: recoded
    question(json, 'kartlaggning_vald').type = 'checkbox';
    const page = json.pages[1];
    page.elements = page.elements.filter((e: any) => e.name !== 'plan_kompetensutveckling');
    page.elements.push({ type: 'text', name: 'antal_utbildade', title: 'Hur många?' });
    const diff = diffSurveys(base(), draftOf(json));
    const kinds = (key: string) => diff.changes.filter((c) => c.key === key).map((c) => c.kind).sort();
    expect(kinds('fortbildning_vuxna')).toEqual(['text_changed']);
    expect(diff.changes.find((c) => c.key === 'fortbildning_vuxna')!.effect).toMatch(/`fortbildning_vuxna` behåller nyckel och typ: trenden fortsätter/);
    expect(kinds('fortbildning_barn')).toEqual(['choice_added', 'choice_label_changed']);
    expect(kinds('systematisk_uppfoljning')).toEqual(['choice_removed']);
    expect(diff.changes.find((c) => c.kind === 'choice_removed')!.effect).toBe('svarsalternativ `delvis` borttaget: svar från 2019 med `delvis` kan inte jämföras.');
    expect(kinds('overenskommelse_polis')).toEqual(['choice_recoded']);
    expect(kinds('kartlaggning_vald')).toEqual(['type_changed']);
    expect(kinds('plan_kompetensutveckling')).toEqual(['question_removed']);
    expect(kinds('antal_utbildade')).toEqual(['question_added']);
    expect(diff.breaking.map((c) => c.kind).sort()).toEqual(['choice_recoded', 'choice_removed', 'type_changed']);
  });

  it('treats a renamed key as a new question, not a break', () => {
    const json: any = base().json;
    const su = question(json, 'systematisk_uppfoljning');
    su.name = 'systematisk_uppfoljning_2020';
    su.choices = su.choices.filter((c: any) => c.value !== 'delvis');
    const diff = diffSurveys(base(), draftOf(json));
    expect(diff.breaking).toEqual([]);
    expect(diff.changes.filter((c) => c.key.startsWith('systematisk')).map((c) => c.kind).sort()).toEqual(['question_added', 'question_removed']);
  });
});

describe('upload: bad input is refused with the place, every shared SurveyJS form gets a verdict', () => {
  it('names the line of a JSON syntax error, the size, and the question of a forbidden type', () => {
    const bad = parseSurveyText('{\n  "pages": [\n    { "name": "p1" ]\n}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems[0].message).toMatch(/rad 3, kolumn/);
    const big = parseSurveyText('{}', 3 * 1024 * 1024);
    expect(!big.ok && big.problems[0].message).toMatch(/högst 2 MB/);
    expect(parseSurveyText('[1,2]').ok).toBe(false);
    expect(parseSurveyText('{"title":"x"}').ok).toBe(false);
    const file = parseSurveyText(JSON.stringify({ pages: [{ name: 'p1', elements: [{ type: 'file', name: 'bilaga' }] }] }));
    expect(!file.ok && file.problems[0]).toMatchObject({ question: 'bilaga' });
    expect(!file.ok && file.problems[0].message).toMatch(/Frågan ”bilaga” \(sida 1 \(”p1”\), element 1\) är en filuppladdning/);
  });

  const dir = '/work/shared/testdata/surveyjs';
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  it.skipIf(names.length === 0)('accepts each shared form or refuses it with a reason', () => {
    const refused: Record<string, string> = {};
    for (const name of names) {
      const result = parseSurveyText(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (!result.ok) refused[name] = result.problems.map((p) => p.message).join(' ');
    }
    expect(Object.keys(refused).sort()).toEqual(['custom-question.json', 'questiontype-dropdownrestfull.json', 'questiontype-file.json']);
    expect(refused['custom-question.json']).toMatch(/typen ”emoji”, som inte är en inbyggd frågetyp/);
    expect(refused['questiontype-dropdownrestfull.json']).toMatch(/choicesByUrl/);
    expect(refused['questiontype-file.json']).toMatch(/filuppladdning/);
  });
});

describe('drafts, publishing and the blocking rules (database)', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    setPublishedSurveys([]);
  });
  afterEach(async () => {
    setPublishedSurveys([]);
    await t.destroy();
  });

  async function draft2020() {
    const made = await cloneVersion(t.db, admin, 'oj-vinr-2019', 2020);
    expect(made).toEqual({ ok: true, id: 'oj-vinr-2020' });
    return JSON.parse((await getVersionRow(t.db, 'oj-vinr-2020'))!.survey);
  }

  it('publishes a compatible draft: readers see it, it is immutable, everything is audited', async () => {
    await draft2020();
    expect(getSurvey('oj-vinr-2020')).toBeUndefined();
    expect((await editDraft(t.db, admin, 'oj-vinr-2020', { op: 'add_choice', name: 'fortbildning_vuxna', value: 'planeras', label: 'Planeras' })).ok).toBe(true);
    expect((await editDraft(t.db, admin, 'oj-vinr-2020', { op: 'add_question', page: 'kompetens', name: 'antal_utbildade', type: 'number', title: 'Hur många har utbildats?' })).ok).toBe(true);
    const published = await publishDraft(t.db, admin, 'oj-vinr-2020');
    expect(published.ok).toBe(true);
    const survey = getSurvey('oj-vinr-2020')!;
    expect(getSurveys()).toContain(survey);
    expect(getCodebook(survey).find((e) => e.key === 'fortbildning_vuxna')!.options!.map((o) => o.value)).toEqual(['ja', 'nej', 'planeras']);
    await expect(saveDraftJson(t.db, admin, 'oj-vinr-2020', JSON.stringify(survey.json))).rejects.toBeInstanceOf(VersionError);
    expect((await listVersions(t.db)).find((v) => v.id === 'oj-vinr-2020')).toMatchObject({ status: 'publicerad', source: 'databas' });
    const actions = (await listAudit(t.db, { entity: 'survey_version' })).map((e) => e.action).sort();
    expect(actions).toEqual(['survey.clone', 'survey.edit', 'survey.edit', 'survey.publish']);
    const edit = (await listAudit(t.db, { action: 'survey.edit' }))[1];
    expect(JSON.stringify(JSON.parse(edit.before!).survey)).not.toContain('planeras');
    expect(JSON.stringify(JSON.parse(edit.after!).survey)).toContain('planeras');
  });

  it('blocks a removed choice and a type change until each is confirmed with a reason', async () => {
    const json = await draft2020();
    const su = question(json, 'systematisk_uppfoljning');
    su.choices = su.choices.filter((c: any) => c.value !== 'delvis');
    question(json, 'kartlaggning_vald').type = 'checkbox';
    expect((await saveDraftJson(t.db, admin, 'oj-vinr-2020', JSON.stringify(json))).ok).toBe(true);
    const review = await reviewDraft(t.db, 'oj-vinr-2020');
    expect(review.blocked.map((c) => c.kind).sort()).toEqual(['choice_removed', 'type_changed']);
    expect([...new Set(review.errors.map((e) => e.question))].sort()).toEqual(['kartlaggning_vald', 'systematisk_uppfoljning']);
    expect((await publishDraft(t.db, admin, 'oj-vinr-2020')).ok).toBe(false);
    const ids = review.blocked.map(changeId);
    expect((await publishDraft(t.db, admin, 'oj-vinr-2020', { confirm: [ids[0]], reason: 'Frågan är omgjord 2020.' })).ok).toBe(false);
    const noReason = await publishDraft(t.db, admin, 'oj-vinr-2020', { confirm: ids, reason: '' });
    expect(noReason).toMatchObject({ ok: false, reason: expect.stringMatching(/skäl|Skriv varför/i) });
    expect(getSurvey('oj-vinr-2020')).toBeUndefined();
    expect((await publishDraft(t.db, admin, 'oj-vinr-2020', { confirm: ids, reason: 'Frågan är omgjord 2020.' })).ok).toBe(true);
    const breaks = await listAudit(t.db, { action: 'survey.breaking_change' });
    expect(breaks).toHaveLength(2);
    expect(breaks.every((b) => b.reason === 'Frågan är omgjord 2020.')).toBe(true);
    expect(JSON.parse(breaks[0].before!).survey).toBeTruthy();
  });

  it('refuses bad uploads without storing anything, and takes the meta block of our files', async () => {
    const before = await t.db.selectFrom('survey_versions').select('id').execute();
    const bad = await createDraftFromUpload(t.db, admin, { text: '{"pages": [', bytes: 11, meta: { family: 'ny-enkat', year: 2021 } });
    expect(bad.ok).toBe(false);
    expect(await t.db.selectFrom('survey_versions').select('id').execute()).toEqual(before);
    const foreign = fs.readFileSync('/work/shared/testdata/surveyjs/questiontype-radiogroup.json', 'utf8');
    const meta = { family: 'ny-enkat', year: 2021, title: 'Ny enkät', description: 'Prov.', audience: ['kommun'], defaultDeadline: '03-15', source: 'egen' };
    expect(await createDraftFromUpload(t.db, admin, { text: foreign, bytes: foreign.length, meta })).toEqual({ ok: true, id: 'ny-enkat-2021' });
    const dup = await createDraftFromUpload(t.db, admin, { text: foreign, bytes: foreign.length, meta });
    expect(dup).toMatchObject({ ok: false, fields: { year: expect.stringMatching(/finns redan/) } });
    const stored = rowToSurvey((await getVersionRow(t.db, 'ny-enkat-2021'))!);
    expect(stored.meta.title).toBe('Ny enkät');
    expect((await listAudit(t.db, { action: 'survey.upload' }))).toHaveLength(1);
  });
});
