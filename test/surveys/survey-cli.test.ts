import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '~/models/auth/audit.server';
import { getSurvey, setPublishedSurveys } from '~/models/surveys/surveys.server';
import { cli } from '../helpers/cli';
import { freshDb, type TestDb } from '../helpers/db';

const question = (json: any, name: string) => json.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === name);

/** oj-vinr-2019 as a 2020 file, changed by `change`. */
function file2020(dir: string, change: (json: any) => void = () => {}): string {
  const base = structuredClone(getSurvey('oj-vinr-2019')!);
  const json: any = base.json;
  change(json);
  const file = path.join(dir, 'oj-vinr-2020.json');
  fs.writeFileSync(file, JSON.stringify({ meta: { ...base.meta, id: 'oj-vinr-2020', year: 2020, title: 'ÖJ 2020' }, survey: json }, null, 2));
  return file;
}

const removeDelvis = (json: any) => {
  const su = question(json, 'systematisk_uppfoljning');
  su.choices = su.choices.filter((c: any) => c.value !== 'delvis');
};

describe('survey publish and survey diff (CLI parity with /admin/enkater)', () => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await freshDb();
    setPublishedSurveys([]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enk-survey-cli-'));
  });
  afterEach(async () => {
    setPublishedSurveys([]);
    fs.rmSync(dir, { recursive: true, force: true });
    await t.destroy();
  });

  const rows = () => t.db.selectFrom('survey_versions').select(['id', 'status']).execute();

  it('diff prints every change with its effect and marks the breaking ones with their id', async () => {
    const file = file2020(dir, (json) => {
      question(json, 'fortbildning_vuxna').title = 'Ny text';
      question(json, 'fortbildning_barn').choices.push({ value: 'planeras', text: 'Planeras' });
      removeDelvis(json);
    });
    const table = await cli(t, 'survey', 'diff', 'oj-vinr-2019', file);
    expect(table.code).toBe(1); // breaking
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/^text_changed fortbildning_vuxna: .*trend continues/m);
    expect(table.stdout).toMatch(/^choice_added fortbildning_barn planeras: /m);
    expect(table.stdout).toMatch(/^BREAKING choice_removed systematisk_uppfoljning delvis: .*\[[^\]]+\]$/m);
    expect(table.stdout).toMatch(/3 changes, 1 breaking$/);
    const json = await cli(t, 'survey', 'diff', 'oj-vinr-2019', file, '--format', 'json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.previousId).toBe('oj-vinr-2019');
    expect(parsed.changes.filter((c: any) => c.breaking).map((c: any) => c.kind)).toEqual(['choice_removed']);
    expect(await rows()).toEqual([]);
  });

  it('diff exits 0 when the file is compatible: added choices and texts, or no change at all', async () => {
    const file = file2020(dir, (json) => {
      question(json, 'fortbildning_vuxna').title = 'Ny text';
      question(json, 'fortbildning_barn').choices.push({ value: 'planeras', text: 'Planeras' });
    });
    const table = await cli(t, 'survey', 'diff', 'oj-vinr-2019', file);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout).toMatch(/2 changes, 0 breaking$/);
    expect((await cli(t, 'survey', 'diff', 'oj-vinr-2019', file, '--format', 'json')).code).toBe(0);
    expect(await cli(t, 'survey', 'diff', 'oj-vinr-2019', file2020(dir))).toMatchObject({ code: 0, stdout: expect.stringMatching(/0 changes, 0 breaking$/) });
  });

  it('diff exits 2 on bad input: an unknown version, a bad file, a bad option, in English, without a stack trace', async () => {
    const file = file2020(dir);
    expect(await cli(t, 'survey', 'diff', 'finns-inte-2019', file)).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown survey version "finns-inte-2019"/) });
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{\n "pages": [\n');
    expect(await cli(t, 'survey', 'diff', 'oj-vinr-2019', bad)).toMatchObject({ code: 2, stderr: expect.stringMatching(/not valid JSON/) });
    const notSurvey = path.join(dir, 'not-survey.json');
    fs.writeFileSync(notSurvey, '[1, 2, 3]');
    expect((await cli(t, 'survey', 'diff', 'oj-vinr-2019', notSurvey)).code).toBe(2);
    expect(await cli(t, 'survey', 'diff', 'oj-vinr-2019', path.join(dir, 'missing.json'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/Cannot read .*ENOENT/) });
    expect(await cli(t, 'survey', 'diff', 'oj-vinr-2019', file, '--format', 'xml')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--format must be table or json/) });
    for (const out of [await cli(t, 'survey', 'diff', 'finns-inte-2019', file), await cli(t, 'survey', 'diff', 'oj-vinr-2019', bad)]) expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('survey diff --help documents the three exit codes', async () => {
    const help = await cli(t, 'survey', 'diff', '--help');
    expect(help.stdout + help.stderr).toMatch(/0\s+the file is compatible/);
    expect(help.stdout + help.stderr).toMatch(/1\s+the diff has breaking changes/);
    expect(help.stdout + help.stderr).toMatch(/2\s+bad input/);
  });

  it('publish stores a compatible file as a published version, audited, seen by every reader', async () => {
    const file = file2020(dir, (json) => question(json, 'fortbildning_vuxna').choices.push({ value: 'planeras', text: 'Planeras' }));
    const dry = await cli(t, 'survey', 'publish', file, '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringMatching(/dry run: nothing stored/) });
    expect(await rows()).toEqual([]);
    const result = await cli(t, 'survey', 'publish', file);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/published oj-vinr-2020$/) });
    expect(await rows()).toEqual([{ id: 'oj-vinr-2020', status: 'publicerad' }]);
    expect(getSurvey('oj-vinr-2020')!.meta.title).toBe('ÖJ 2020');
    expect((await cli(t, 'codebook', 'oj-vinr-2020')).stdout).toContain('planeras');
    const actions = (await listAudit(t.db, { entity: 'survey_version' })).map((e) => e.action).sort();
    expect(actions).toEqual(['survey.publish', 'survey.upload']);
    const upload = (await listAudit(t.db, { action: 'survey.upload' }))[0];
    expect(JSON.parse(upload.before ?? 'null')).toBeNull();
    expect(JSON.parse(upload.after!).survey.pages).toBeTruthy();
    // A published version is immutable: publishing the same id again is refused.
    expect(await cli(t, 'survey', 'publish', file)).toMatchObject({ code: 1, stderr: expect.stringMatching(/already published/) });
  });

  it('publish blocks a breaking change until it is confirmed with a reason, and audits the reason', async () => {
    const file = file2020(dir, removeDelvis);
    const blocked = await cli(t, 'survey', 'publish', file);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/systematisk_uppfoljning: family: /);
    expect(blocked.stderr).toMatch(/breaking change (\S+): .*pass --confirm/);
    expect(blocked.stderr).toMatch(/nothing was stored/);
    expect(await rows()).toEqual([]);
    const id = /breaking change (\S+):/.exec(blocked.stderr)![1];
    expect(await cli(t, 'survey', 'publish', file, '--confirm', 'no-such-change', '--reason', 'Frågan är omgjord.')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no such breaking change/) });
    expect(await cli(t, 'survey', 'publish', file, '--confirm', id)).toMatchObject({ code: 1, stderr: expect.stringMatching(/--reason is required/) });
    expect(await rows()).toEqual([]);
    const ok = await cli(t, 'survey', 'publish', file, '--confirm', id, '--reason', 'Delvis togs bort 2020 efter remiss.');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const breaks = await listAudit(t.db, { action: 'survey.breaking_change' });
    expect(breaks).toHaveLength(1);
    expect(breaks[0].reason).toBe('Delvis togs bort 2020 efter remiss.');
    expect(JSON.stringify(JSON.parse(breaks[0].before!).survey)).toContain('delvis');
    expect(JSON.stringify(JSON.parse(breaks[0].after!).survey)).not.toContain('"delvis"');
  });

  it('publish refuses bad files with the place and stores nothing', async () => {
    const plain = path.join(dir, 'plain.json');
    fs.writeFileSync(plain, JSON.stringify({ pages: [{ name: 'p1', elements: [{ type: 'text', name: 'a' }] }] }));
    expect(await cli(t, 'survey', 'publish', plain)).toMatchObject({ code: 1, stderr: expect.stringMatching(/no "meta" block/) });
    const upload = path.join(dir, 'upload.json');
    fs.writeFileSync(upload, JSON.stringify({ meta: { id: 'x-2020' }, survey: { pages: [{ name: 'p1', elements: [{ type: 'file', name: 'bilaga' }] }] } }));
    expect(await cli(t, 'survey', 'publish', upload)).toMatchObject({ code: 1, stderr: expect.stringMatching(/bilaga: type "file" is not allowed/) });
    const badMeta = file2020(dir, () => {});
    const text = JSON.parse(fs.readFileSync(badMeta, 'utf8'));
    delete text.meta.defaultDeadline;
    fs.writeFileSync(badMeta, JSON.stringify(text));
    expect(await cli(t, 'survey', 'publish', badMeta)).toMatchObject({ code: 1, stderr: expect.stringMatching(/defaultDeadline/) });
    expect(await rows()).toEqual([]);
    expect(await listAudit(t.db, { entity: 'survey_version' })).toEqual([]);
  });
});

describe('CLI readers see versions published in the database', () => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await freshDb();
    setPublishedSurveys([]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enk-survey-cli-'));
  });
  afterEach(async () => {
    setPublishedSurveys([]);
    fs.rmSync(dir, { recursive: true, force: true });
    await t.destroy();
  });

  it('codebook, surveys and round create find oj-vinr-2020 in a fresh process', async () => {
    expect((await cli(t, 'survey', 'publish', file2020(dir))).code).toBe(0);
    setPublishedSurveys([]); // as a new CLI process starts: only the files are loaded
    expect(getSurvey('oj-vinr-2020')).toBeUndefined();
    expect((await cli(t, 'codebook', 'oj-vinr-2020')).code).toBe(0);
    expect((await cli(t, 'surveys', '--format', 'json')).stdout).toContain('oj-vinr-2020');
    const round = await cli(t, 'round', 'create', '--survey', 'oj-vinr-2020', '--title', 'ÖJ 2020', '--opens', '2020-02-01', '--kind', 'kommun', '--lan', '03');
    expect(round.code).toBe(0);
    expect(round.stderr + round.stdout).toMatch(/Created round \d+ "ÖJ 2020" with 8 assignments/);
  });
});
