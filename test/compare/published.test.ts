import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRound } from '../../app/models/rounds/rounds.server';
import { projectResponse } from '../../app/models/analysis/projection.server';
import { computeComparison, type ComparisonResult } from '../../app/models/comparisons/compute.server';
import { formatPercentSv } from '../../app/models/comparisons/policy';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { freshDb, type TestDb } from '../helpers/db';
import { cli, loadFixture, writeCsv } from './fixtures';
import { checkPublished, PUBLISHED } from './published-figures';
import { loadPublished } from './published-fixtures';

/**
 * Every published figure of source 003 and 004 that the data can produce, from the **shipped**
 * definition file in surveys/comparisons and a fixture built to the published marginals. Each
 * cell is checked at the published precision, with n and non-response (published-figures.ts).
 */

const DIR = path.resolve('surveys/comparisons');
export const shipped = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, `${file}.json`), 'utf8'));

describe('the shipped definitions reproduce source 003 as published', () => {
  let t: TestDb;
  const results = new Map<string, ComparisonResult>();
  const run = async (file: string, def: unknown = shipped(file)) => computeComparison(t.db, parseDefinition(def));
  beforeAll(async () => {
    t = await freshDb();
    const { all, grants } = await loadFixture(t);
    await loadPublished(t, all, grants);
    return () => t.destroy();
  });

  for (const [file, figure] of Object.entries(PUBLISHED).filter(([f]) => !f.startsWith('kalla-004')))
    it(`${figure.name}: every published cell at the published precision (${file}.json)`, async () => {
      const r = await run(file);
      results.set(file, r);
      expect(checkPublished(file, r)).toEqual([]);
    });

  it('Figur 8 and 9 count organisations: no suppression, and the figure says so', async () => {
    const r = await run('figur-8-systematisk-uppfoljning');
    expect(r.suppressBelow).toBe(0);
    expect(r.policy.suppressionSource).toBe('organisations');
    expect(r.policy.notes[0]).toMatch(/Inga antal döljs: svaren lämnas av organisationer/);
    expect(r.groups.every((g) => !g.suppressed)).toBe(true);
  });

  it('a published cell hidden or mis-rounded by a changed definition is caught', async () => {
    // Suppression below 5 (the old Figur 9 file) hides 10 % (2 kommuner) and, complementarily, 43 %.
    const hidden = await run('figur-9-skyddade-personuppgifter', { ...shipped('figur-9-skyddade-personuppgifter'), suppressBelow: 5 });
    expect(checkPublished('figur-9-skyddade-personuppgifter', hidden).join('\n')).toMatch(/Inte använt ja: published 10, ours null/);
    // One decimal (the old output) gives 34.5 and 88.5, which a reader rounds to 35 and 89.
    const decimals = await run('tabell-10-kommungrupp', { ...shipped('tabell-10-kommungrupp'), precision: 1 });
    expect(checkPublished('tabell-10-kommungrupp', decimals).join('\n')).toMatch(/2014 C6 Förbrukat: published 34, ours 34.5/);
    // The base of everyone who answered (also "inget av alternativen") gives n = 245, not 111.
    const base = await run('tabell-4-utsatta-grupper', { ...shipped('tabell-4-utsatta-grupper'), measure: { ...shipped('tabell-4-utsatta-grupper').measure, base: 'answered' } });
    expect(checkPublished('tabell-4-utsatta-grupper', base).join('\n')).toMatch(/2016 n: published 111, ours 245/);
  });

  it('a trend year without answers is missing in the series, not an error', async () => {
    const r = await run('oj-trend-fortbildning-vuxna');
    const gap = r.periods!.find((p) => p.label === '2017')!;
    expect(gap).toMatchObject({ noData: true, total: { n: 0, missing: 290, percent: { ja: null } } });
    expect(r.change).toEqual({ from: '2016', to: '2019', points: { ja: 11, nej: -11 } });
  });

  it('the CLI prints the shipped figure with its policy', async () => {
    const { code, stdout } = await cli(t, 'compare', path.join(DIR, 'kalla-004-samordningen-battre.json'));
    expect(code).toBe(1); // no answers to source 004's survey in this database: a clear error, no crash
    expect(stdout).toBe('');
    const ok = await cli(t, 'compare', path.join(DIR, 'tabell-10-kommungrupp.json'));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).policy.notes).toContain('Andelar i hela procent, avrundade från de exakta kvoterna.');
  });

  it('every shipped definition computes on data built to the published marginals', async () => {
    // Figur 7 publishes no numbers (only "i högre grad"), so the fixture has no answers for it.
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.startsWith('kalla-004') && !f.startsWith('figur-7'));
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const f of files) {
      const r = await run(f.replace(/\.json$/, ''));
      expect(r.total.n + r.total.missing, f).toBeGreaterThan(0);
    }
  });

  it('re-importing the same ÖJ answers changes nothing (idempotent per survey and org)', async () => {
    const before = await t.db.selectFrom('answer_values').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const { ojRecords, kommuner } = await import('./fixtures');
    const all = await kommuner(t);
    const used = new Set((await t.db.selectFrom('grants as g').innerJoin('organisations as o', 'o.id', 'g.organisation_id').select('o.code').where('g.year', '=', 2018).where('g.status', '=', 'forbrukat').where('o.kind', '=', 'kommun').execute()).map((r) => r.code));
    const res = await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', writeCsv(ojRecords(all, used), 'oj.csv'));
    expect(res.stdout).toMatch(/0 new, 0 updated, \d+ unchanged/);
    const after = await t.db.selectFrom('answer_values').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('source 004 (persons)', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  async function answer(data: (i: number) => Record<string, unknown>, count = 43) {
    const persons = Array.from({ length: count }, (_, i) => ({ name: `Person ${i + 1}`, email: `p${i + 1}@example.se` }));
    const { assignments } = await createRound(t.db, { surveyId: 'samverkanspartner-2014', title: 'Samverkanspartner 2014', opensAt: '2014-10-01', closesAt: '2014-10-31', persons });
    const now = new Date().toISOString();
    for (const [i, a] of assignments.entries()) {
      const row = await t.db
        .insertInto('responses')
        .values({ assignment_id: a.id, survey_id: 'samverkanspartner-2014', data: JSON.stringify(data(i)), version: 1, prefilled_keys: null, last_saved_at: now, last_saved_by: null, submitted_at: now, submitted_by: 'x', reference: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await projectResponse(t.db, row.id);
    }
  }

  it('"Har samordningen blivit bättre?" 31 / 7 / 5 of 43: 72,09 / 16,28 / 11,63 % (shipped file)', async () => {
    t = await freshDb();
    const answers = [...Array(31).fill('battre'), ...Array(7).fill('delvis_battre'), ...Array(5).fill('ingen_skillnad')];
    const grade = ['stammer_helt', 'stammer_delvis', 'stammer_inte', 'vet_ej'];
    await answer((i) => ({ samordningen_battre: answers[i], ...(i < 40 ? { roll_lagesbild: { meningsfullt: grade[i % 4] } } : {}) }));
    const r = await computeComparison(t.db, parseDefinition(shipped('kalla-004-samordningen-battre')));
    expect(checkPublished('kalla-004-samordningen-battre', r)).toEqual([]);
    expect(r.total).toMatchObject({ n: 43, missing: 0, counts: { battre: 31, delvis_battre: 7, ingen_skillnad: 5, vet_ej: 0 } });
    expect(['battre', 'delvis_battre', 'ingen_skillnad'].map((v) => formatPercentSv(r.total.percent[v], r.precision))).toEqual(['72,09', '16,28', '11,63']);
    // "Positiva omdömen" = stämmer helt + delvis, merged by the shipped definition; 3 did not answer.
    const m = await computeComparison(t.db, parseDefinition(shipped('kalla-004-positiva-omdomen-meningsfullt')));
    expect(m.values.map((v) => v.key)).toEqual(['Positiva omdömen', 'stammer_inte', 'vet_ej']);
    expect(m.total).toMatchObject({ n: 40, missing: 3, counts: { 'Positiva omdömen': 20, stammer_inte: 10, vet_ej: 10 }, percent: { 'Positiva omdömen': 50 } });
  });

  it('person surveys are suppressed below 5 by default, and the figure says why', async () => {
    t = await freshDb();
    await answer((i) => ({ samordningen_battre: i < 3 ? 'vet_ej' : 'battre' }), 20);
    const def = { title: 'x', population: { kind: 'respondents' }, measure: { survey: 'samverkanspartner-2014', question: 'samordningen_battre' } };
    const r = await computeComparison(t.db, parseDefinition(def));
    expect(r.suppressBelow).toBe(5);
    expect(r.policy.suppressionSource).toBe('persons');
    expect(r.policy.notes[0]).toMatch(/Antal under 5 visas inte.*besvaras av personer/);
    expect(r.total.counts.vet_ej).toBeNull();
    const open = await computeComparison(t.db, parseDefinition({ ...def, suppressBelow: 0 }));
    expect(open.total.counts.vet_ej).toBe(3);
    expect(open.policy.suppressionSource).toBe('definition');
  });
});
