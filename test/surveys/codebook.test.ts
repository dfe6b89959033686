import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { getCodebook, getSurvey, getSurveys, previousVersion } from '../../app/models/surveys/surveys.server';
import { cli } from './helpers';

describe('codebook', () => {
  it('lists every stored key of återrapportering 2018 in form order, with options and the computed fields', () => {
    const entries = getCodebook(getSurvey('aterrapportering-kommun-2018')!);
    const keys = entries.map((e) => e.key);
    expect(keys.slice(0, 3)).toEqual(['kvalitetsutveckling_insatser', 'ledningssystem', 'ledningssystem_arbete']);
    expect(keys).not.toContain('info_verksamhet'); // html: no value
    expect(entries.find((e) => e.key === 'aterbetalas')).toMatchObject({ kind: 'computed', type: 'expression', page: 'ekonomisk_redovisning' });
    expect(entries.find((e) => e.key === 'beviljat_belopp')).toMatchObject({ kind: 'numeric', required: true });
    expect(entries.find((e) => e.key === 'ledningssystem_arbete-Comment')).toMatchObject({ kind: 'text', commentOf: 'ledningssystem_arbete' });
    const placering = entries.find((e) => e.key === 'samordning_placering')!;
    expect(placering.options!.map((o) => o.value)).toEqual(['forvaltningsovergripande', 'specifik_enhet', 'enskild_handlaggare', 'extern_niva']);
    expect(placering.surveyId).toBe('aterrapportering-kommun-2018');
    const insatser = entries.find((e) => e.key === 'kvalitetsutveckling_insatser')!;
    expect(insatser.options!.at(-1)).toEqual({ value: 'none', label: 'Inget av ovanstående' });
  });

  it('gives matrices their rows and columns', () => {
    const matrix = getCodebook(getSurvey('samverkanspartner-2014')!).find((e) => e.type === 'matrix')!;
    expect(matrix.kind).toBe('matrix');
    expect(matrix.rows!.length).toBe(6);
    expect(matrix.columns!.map((c) => c.name)).toEqual(matrix.options!.map((o) => o.value));
  });

  it('keeps shared keys identical across the ÖJ family, so trends work', () => {
    const years = getSurveys().filter((s) => s.meta.family === 'oj-vinr');
    expect(years.map((s) => s.meta.year)).toEqual([2016, 2017, 2018, 2019]);
    const signature = (id: string) =>
      Object.fromEntries(getCodebook(getSurvey(id)!).map((e) => [e.key, `${e.type}:${(e.options ?? []).map((o) => o.value).join('|')}`]));
    const latest = signature('oj-vinr-2019');
    for (const s of years) for (const [key, sig] of Object.entries(signature(s.meta.id))) expect(latest[key], `${s.meta.id} ${key}`).toBe(sig);
    expect(previousVersion(getSurvey('oj-vinr-2019')!)?.meta.id).toBe('oj-vinr-2018');
    expect(previousVersion(getSurvey('oj-vinr-2016')!)).toBeUndefined();
  });

  it('omits items that first appear in 2017 from the 2016 återrapportering', () => {
    const keys = (id: string) => getCodebook(getSurvey(id)!).map((e) => e.key);
    expect(keys('aterrapportering-kommun-2016')).not.toContain('samordning_placering');
    expect(keys('aterrapportering-kommun-2017')).toContain('samordning_placering');
    expect(keys('aterrapportering-kommun-2017')).not.toContain('bidrag_kvalitetsutveckling');
    expect(keys('aterrapportering-kommun-2018')).toContain('bidrag_kvalitetsutveckling');
  });
});

describe('survey CLI commands', () => {
  it('surveys lists every instrument as a table and as JSON', async () => {
    const table = await cli('surveys');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')).toHaveLength(12);
    expect(table.stdout).toMatch(/^oj-vinr-2019\s+oj-vinr\s+2019\s+kommun,stadsdel\s+Öppna jämförelser – Våld i nära relationer 2019$/m);
    const json = await cli('surveys', '--format', 'json');
    const rows = JSON.parse(json.stdout);
    expect(rows.find((r: { id: string }) => r.id === 'samverkanspartner-2014')).toMatchObject({ family: 'samverkanspartner', year: 2014, audience: 'person' });
    expect((await cli('surveys', '--format', 'xml')).stderr).toMatch(/--format must be json or table/);
  });

  it('codebook prints CSV by default and JSON on request', async () => {
    const csv = await cli('codebook', 'oj-vinr-2019');
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['survey_id', 'key', 'page', 'type', 'kind', 'required', 'text', 'options', 'rows', 'columns', 'comment_of']);
    expect(rows.find((r) => r.key === 'systematisk_uppfoljning')).toMatchObject({ survey_id: 'oj-vinr-2019', kind: 'single', options: 'ja=Ja; delvis=Delvis; nej=Nej' });
    const json = await cli('codebook', 'oj-vinr-2019', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual(getCodebook(getSurvey('oj-vinr-2019')!));
  });

  it('codebook refuses an unknown id in English', async () => {
    const { code, stderr } = await cli('codebook', 'oj-vinr-1999');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: Unknown survey "oj-vinr-1999"\. Known: aterrapportering-kommun-2016/);
  });
});
