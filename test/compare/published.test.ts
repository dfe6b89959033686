import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRound } from '../../app/models/rounds/rounds.server';
import { projectResponse } from '../../app/models/analysis/projection.server';
import { computeComparison, type ComparisonResult } from '../../app/models/comparisons/compute.server';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { freshDb, type TestDb } from '../helpers/db';
import { cli, kommuner, loadFixture, OJ_PLAN, PROGRAM, TABELL10, TABELL4, TABELL8, TABELL9, tabell4Records, writeCsv, writeJson } from './fixtures';

const USED_MAP = { forbrukat: 'Använt', ej_rekvirerat: 'Inte använt', aterbetalt: 'Inte använt' };
const SPENT_MAP = { forbrukat: 'Förbrukat', ej_rekvirerat: 'Ej förbrukat', aterbetalt: 'Ej förbrukat' };
const pct = (count: number | null, n: number) => Math.round(((count ?? 0) / n) * 100);

async function compare(t: TestDb, definition: unknown): Promise<ComparisonResult> {
  const { code, stdout, stderr } = await cli(t, 'compare', writeJson(definition));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('comparisons reproduce the published aggregates of source 003 and 004', () => {
  let t: TestDb;
  let fixture: Awaited<ReturnType<typeof loadFixture>>;
  beforeAll(async () => {
    t = await freshDb();
    fixture = await loadFixture(t);
    return () => t.destroy();
  });

  it('Tabell 8: kommuner per grant status and year, 2012–2018, always 290', async () => {
    const r = await compare(t, {
      title: 'Kommunernas användning av utvecklingsmedlen',
      measure: { grant: { program: PROGRAM, year: 2018 } },
      years: [2012, 2013, 2014, 2016, 2017, 2018],
    });
    expect(r.periods).toHaveLength(6);
    for (const p of r.periods!) {
      const [ej, used, repaid] = TABELL8[Number(p.key)];
      expect(p.total.counts).toEqual({ ej_rekvirerat: ej, forbrukat: used, aterbetalt: repaid });
      expect(p.total.n).toBe(290);
      expect(p.total.missing).toBe(0);
    }
    expect(r.groups).toEqual([]);
    expect(r.test).toBeNull();
  });

  it('Tabell 9: share of kommuner that used funds by size class, 2014 and 2018', async () => {
    const r = await compare(t, {
      title: 'Andel kommuner som förbrukat medel per kommunstorlek',
      measure: { grant: { program: PROGRAM, year: 2018 }, map: SPENT_MAP },
      groupBy: { attribute: 'sizeClass' },
      years: [2014, 2018],
    });
    for (const [i, p] of r.periods!.entries()) {
      expect(p.groups.map((g) => g.key)).toEqual(['0-15', '15-30', '30-70', '70-200', '200+']);
      for (const g of p.groups) {
        const [n, pct14, pct18, c14, c18] = TABELL9[g.key];
        expect(g.n).toBe(n);
        expect(g.counts['Förbrukat']).toBe(i === 0 ? c14 : c18);
        expect(pct(g.counts['Förbrukat'], g.n)).toBe(i === 0 ? pct14 : pct18);
      }
      expect(pct(p.total.counts['Förbrukat'], p.total.n)).toBe(i === 0 ? 24 : 92);
    }
    expect(r.groups.find((g) => g.key === '200+')?.label).toBe('200 tusen eller fler');
  });

  it('Tabell 10: the same by SKL kommungrupp 2017', async () => {
    const r = await compare(t, {
      title: 'Andel kommuner som förbrukat medel per kommungrupp',
      measure: { grant: { program: PROGRAM, year: 2018 }, map: SPENT_MAP },
      groupBy: { attribute: 'kommungrupp2017' },
      years: [2014, 2018],
    });
    for (const [i, p] of r.periods!.entries()) {
      expect(p.groups.map((g) => g.key)).toEqual(Object.keys(TABELL10));
      for (const g of p.groups) {
        const [n, pct14, pct18, c14, c18] = TABELL10[g.key];
        expect(g.n).toBe(n);
        expect(g.counts['Förbrukat']).toBe(i === 0 ? c14 : c18);
        expect(pct(g.counts['Förbrukat'], g.n)).toBe(i === 0 ? pct14 : pct18);
      }
    }
    expect(r.groups[0].label).toBe('A1 Storstäder');
  });

  for (const [figure, question] of [
    ['Figur 5', 'fortbildning_vuxna'],
    ['Figur 6', 'plan_kompetensutveckling'],
    ['Figur 8', 'systematisk_uppfoljning'],
    ['Figur 9', 'rutin_skyddade_uppgifter'],
  ] as const) {
    it(`${figure}: ÖJ 2019 ${question} by used / not used funds 2018, with missing counted`, async () => {
      const plan = OJ_PLAN[question];
      const r = await compare(t, {
        title: figure,
        measure: { survey: 'oj-vinr-2019', question },
        groupBy: { grant: { program: PROGRAM, year: 2018 }, map: USED_MAP },
      });
      expect(r.groups.map((g) => g.key)).toEqual(['Använt', 'Inte använt']);
      const [used, notUsed] = r.groups;
      const nUsed = Object.values(plan.used).reduce((a, b) => a + b, 0);
      const nNot = Object.values(plan.notUsed).reduce((a, b) => a + b, 0);
      expect(used).toMatchObject({ n: nUsed, missing: 266 - nUsed, suppressed: false });
      expect(notUsed).toMatchObject({ n: nNot, missing: 24 - nNot });
      expect(pct(used.counts[plan.published.value], used.n)).toBe(plan.published.used);
      expect(pct(notUsed.counts[plan.published.value], notUsed.n)).toBe(plan.published.notUsed);
      if (plan.published.riket !== undefined) expect(pct(r.total.counts[plan.published.value], r.total.n)).toBe(plan.published.riket);
      expect(r.total.n + r.total.missing).toBe(290);
      expect(r.test).not.toBeNull();
      expect(['chi-square', 'fisher-exact']).toContain(r.test!.method);
      expect(r.test!.p).toBeGreaterThanOrEqual(0);
      expect(r.test!.p).toBeLessThanOrEqual(1);
    });
  }

  it('Figur 8 shows "delvis" beside "ja": 8 % + 2 % among users', async () => {
    const r = await compare(t, {
      title: 'Systematisk uppföljning',
      measure: { survey: 'oj-vinr-2019', question: 'systematisk_uppfoljning' },
      groupBy: { grant: { program: PROGRAM, year: 2018 }, map: USED_MAP },
    });
    expect(r.groups[0].percent).toEqual({ ja: 8, delvis: 2, nej: 90 });
    expect(r.groups[1].percent.delvis).toBe(0);
  });

  it('CSV output has one row per group plus Riket', async () => {
    const { code, stdout } = await cli(
      t,
      'compare',
      writeJson({ title: 'x', measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' }, groupBy: { grant: { program: PROGRAM, year: 2018 }, map: USED_MAP } }),
      '--format',
      'csv',
    );
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('group,label,n,missing,count_ja,percent_ja,count_nej,percent_nej');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['Använt', 'Inte använt', 'riket']);
  });

  it('the definition files in surveys/comparisons are valid and compute on the fixture', async () => {
    const dir = path.resolve('surveys/comparisons');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const def = parseDefinition(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (/figur-7|tabell-4|kalla-004/.test(f)) continue; // their data are not in this fixture
      const r = await computeComparison(t.db, def);
      expect(r.total.n + r.total.missing, f).toBe(290);
    }
    const fig5 = await computeComparison(t.db, parseDefinition(fs.readFileSync(path.join(dir, 'figur-5-fortbildning.json'), 'utf8')));
    expect(fig5.groups.map((g) => pct(g.counts.ja, g.n))).toEqual([98, 67]);
  });

  it('re-importing the same ÖJ answers changes nothing (idempotent per survey and org)', async () => {
    const before = await t.db.selectFrom('answer_values').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const { ojRecords } = await import('./fixtures');
    const res = await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', writeCsv(ojRecords(fixture.all, fixture.used2018), 'oj.csv'));
    expect(res.stdout).toMatch(/0 new, 0 updated, \d+ unchanged/);
    const after = await t.db.selectFrom('answer_values').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('multiple choice and person surveys', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('Tabell 4: utsatta grupper 2016–2018 with n in the header (multiple choice)', async () => {
    t = await freshDb();
    const all = await kommuner(t);
    for (const [i, year] of [2016, 2017, 2018].entries()) {
      const res = await cli(t, 'import-responses', '--survey', `aterrapportering-kommun-${year}`, writeCsv(tabell4Records(all, i, TABELL4.n[year]), 't4.csv'));
      expect(res.stderr).toBe('');
    }
    const r = await computeComparison(
      t.db,
      parseDefinition({
        title: 'Tabell 4',
        measure: { survey: 'aterrapportering-kommun-2018', question: 'utsatta_grupper' },
        surveys: ['aterrapportering-kommun-2016', 'aterrapportering-kommun-2017', 'aterrapportering-kommun-2018'],
      }),
    );
    expect(r.measure.kind).toBe('multiple');
    for (const [i, p] of r.periods!.entries()) {
      const year = 2016 + i;
      expect(p.label).toBe(String(year));
      expect(p.total.n).toBe(TABELL4.n[year]);
      expect(p.total.missing).toBe(290 - TABELL4.n[year]);
      for (const [option, counts] of Object.entries(TABELL4.rows)) {
        expect(p.total.counts[option]).toBe(counts[i]);
        expect(p.total.percent[option]).toBe(Math.round((counts[i] / TABELL4.n[year]) * 1000) / 10);
      }
    }
    expect(r.values[0].label).toBe('Vuxna och barn som drabbats av hedersrelaterat våld');
  });

  it('source 004: "Har samordningen blivit bättre?" 31 / 7 / 5 of 43 (72.1 / 16.3 / 11.6 %)', async () => {
    t = await freshDb();
    const persons = Array.from({ length: 43 }, (_, i) => ({ name: `Person ${i + 1}`, email: `p${i + 1}@example.se` }));
    const { assignments } = await createRound(t.db, { surveyId: 'samverkanspartner-2014', title: 'Samverkanspartner 2014', opensAt: '2014-10-01', closesAt: '2014-10-31', persons });
    const answers = [...Array(31).fill('battre'), ...Array(7).fill('delvis_battre'), ...Array(5).fill('ingen_skillnad')];
    const now = new Date().toISOString();
    for (const [i, a] of assignments.entries()) {
      const data = JSON.stringify({ samordningen_battre: answers[i], roll_lagesbild: { meningsfullt: 'stammer_helt' } });
      const row = await t.db
        .insertInto('responses')
        .values({ assignment_id: a.id, survey_id: 'samverkanspartner-2014', data, version: 1, prefilled_keys: null, last_saved_at: now, last_saved_by: null, submitted_at: now, submitted_by: 'x', reference: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await projectResponse(t.db, row.id);
    }
    const r = await computeComparison(t.db, parseDefinition({ title: '004', population: { kind: 'respondents' }, measure: { survey: 'samverkanspartner-2014', question: 'samordningen_battre' } }));
    expect(r.total).toMatchObject({ n: 43, missing: 0, counts: { battre: 31, delvis_battre: 7, ingen_skillnad: 5, vet_ej: 0 } });
    expect(r.total.percent).toMatchObject({ battre: 72.1, delvis_battre: 16.3, ingen_skillnad: 11.6 });
    const matrix = await computeComparison(t.db, parseDefinition({ title: 'm', population: { kind: 'respondents' }, measure: { survey: 'samverkanspartner-2014', question: 'roll_lagesbild.meningsfullt' } }));
    expect(matrix.total.counts.stammer_helt).toBe(43);
  });
});
