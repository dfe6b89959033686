import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadChartSvg } from '../../app/models/comparisons/chart-download.server';
import { renderChartSvg } from '../../app/models/comparisons/chart.server';
import { computeComparison, type ComparisonResult } from '../../app/models/comparisons/compute.server';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { freshDb, type TestDb } from '../helpers/db';
import { loadFixture } from './fixtures';
import { layoutProblems, textBoxes } from './svg-text-boxes';

/**
 * No text of a chart overlaps another or leaves the picture, on the page and in the download:
 * Tabell 10's kommungrupp labels ("A2 Pendlingskommun nära storstad", ten of them) did.
 */
const shipped = (file: string) => JSON.parse(fs.readFileSync(`surveys/comparisons/${file}.json`, 'utf8'));

describe('chart labels do not overlap', () => {
  let t: TestDb;
  let tabell10: ComparisonResult;
  beforeAll(async () => {
    t = await freshDb();
    await loadFixture(t);
    tabell10 = await computeComparison(t.db, parseDefinition(shipped('tabell-10-kommungrupp')));
    return () => t.destroy();
  });

  it('Tabell 10 on the page: every kommungrupp label readable', () => {
    const svg = renderChartSvg(tabell10, { standalone: true });
    const texts = textBoxes(svg).boxes.map((b) => b.text).join(' ');
    for (const g of tabell10.groups) for (const word of g.label.split(' ')) expect(texts).toContain(word);
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('Tabell 10 downloaded: the chart, legend and footer lines fit', () => {
    expect(layoutProblems(downloadChartSvg(tabell10))).toEqual([]);
  });

  it('short labels keep their columns; a single over-long word is cut to fit', () => {
    const group = (key: string, label: string) => ({ key, label, n: 20, missing: 0, counts: { ja: 10 }, percent: { ja: 50 }, suppressed: false });
    const base = { ...tabell10, periods: undefined, chartValues: undefined, values: [{ key: 'ja', label: 'Ja' }], total: group('riket', 'Riket') };
    const short = { ...base, groups: [group('a', 'Med bidrag'), group('b', 'Utan bidrag')] } as ComparisonResult;
    expect(renderChartSvg(short)).toContain('↑ Procent'); // vertical columns, y axis labelled
    expect(layoutProblems(downloadChartSvg(short))).toEqual([]);
    const long = { ...base, groups: [group('a', 'Lågpendlingskommunnärastörrestadmedbesöksnäringochturism'.repeat(2))] } as ComparisonResult;
    expect(layoutProblems(downloadChartSvg(long))).toEqual([]);
  });
});
