import { beforeAll, describe, expect, it } from 'vitest';
import { computeComparison } from '../../app/models/comparisons/compute.server';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { freshDb, type TestDb } from '../helpers/db';
import { cli, loadFixture, PROGRAM, writeCsv } from './fixtures';

const USED_MAP = { forbrukat: 'Använt', ej_rekvirerat: 'Inte använt', aterbetalt: 'Inte använt' };

describe('comparison features on the fixture', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb();
    await loadFixture(t);
    return () => t.destroy();
  });
  const compute = (def: unknown) => computeComparison(t.db, parseDefinition(def));

  it('suppresses small counts and the cells that would reveal them (Figur 9, threshold 5)', async () => {
    const r = await compute({
      title: 'Figur 9',
      measure: { survey: 'oj-vinr-2019', question: 'rutin_skyddade_uppgifter' },
      groupBy: { grant: { program: PROGRAM, year: 2018 }, map: USED_MAP },
      suppressBelow: 5,
    });
    const [used, notUsed] = r.groups;
    // Not used: ja = 2 is primary; nej = n − ja would reveal it.
    expect(notUsed).toMatchObject({ n: 20, suppressed: true, counts: { ja: null, nej: null }, percent: { ja: null, nej: null } });
    // Riket ja − used ja would reveal it too, so one more cell per column is hidden.
    expect(used.suppressed || r.total.counts.ja === null).toBe(true);
    expect(used.n).toBe(250);
    // The test is computed on the real counts: it is not weakened by suppression.
    expect(r.test?.p).toBeLessThan(0.05);
  });

  it('groups by län with the län name as label, and by an answer to another question', async () => {
    const byLan = await compute({ title: 'län', measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' }, groupBy: { attribute: 'lan' } });
    expect(byLan.groups.map((g) => g.key)).toContain('01');
    expect(byLan.groups.find((g) => g.key === '01')?.label).toBe('Stockholms län');
    expect(byLan.groups.reduce((s, g) => s + g.n + g.missing, 0)).toBe(290);

    const byQuestion = await compute({
      title: 'fråga',
      measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' },
      groupBy: { question: { survey: 'oj-vinr-2019', question: 'plan_kompetensutveckling' } },
    });
    expect(byQuestion.groups.map((g) => g.key)).toEqual(['ja', 'nej', 'saknas']);
    expect(byQuestion.groups.map((g) => g.label)).toEqual(['Ja', 'Nej', 'Uppgift saknas']);
  });

  it('numeric questions give mean, median and sum per group', async () => {
    const rows = [
      { org: '0114', beviljat_belopp: '100' },
      { org: '0115', beviljat_belopp: '200' },
      { org: '0117', beviljat_belopp: '600' },
    ];
    expect((await cli(t, 'import-responses', '--survey', 'aterrapportering-kommun-2018', writeCsv(rows, 'n.csv'))).code).toBe(0);
    const r = await compute({ title: 'belopp', measure: { survey: 'aterrapportering-kommun-2018', question: 'beviljat_belopp' } });
    expect(r.measure.kind).toBe('numeric');
    expect(r.total).toMatchObject({ n: 3, missing: 287, stats: { mean: 300, median: 200, sum: 900 } });
    const suppressed = await compute({ title: 'belopp', measure: { survey: 'aterrapportering-kommun-2018', question: 'beviljat_belopp' }, suppressBelow: 5 });
    expect(suppressed.total.stats).toEqual({ mean: null, median: null, sum: null, count: 3 });
  });

  it('a grant measure counts kommuner without a ledger row as missing', async () => {
    await t.db.deleteFrom('grants').where('year', '=', 2017).where('organisation_id', 'in', t.db.selectFrom('organisations').select('id').where('code', '=', '0114')).execute();
    const r = await compute({ title: 'g', measure: { grant: { program: PROGRAM, year: 2017 } } });
    expect(r.total.n).toBe(289);
    expect(r.total.missing).toBe(1);
  });
});
