import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MapFigure } from '~/components/map-figure';
import { downloadChartSvg } from '~/models/comparisons/chart-download.server';
import { svgToPng } from '~/models/comparisons/chart-png.server';
import { renderChartSvg } from '~/models/comparisons/chart.server';
import type { ComparisonResult } from '~/models/comparisons/compute.server';
import type { KommunMap } from '~/models/comparisons/map.server';

const group = (key: string, label: string, n: number, yes: number | null) => ({
  key, label, n, missing: 0, counts: { ja: yes }, percent: { ja: yes === null ? null : (yes / n) * 100 }, suppressed: yes === null,
});

const result = {
  title: 'Andel med fortbildning', source: 'Öppna jämförelser 2019', note: '', measure: { kind: 'single', label: 'Fortbildning' },
  grouping: { kind: 'grant', label: 'Statsbidrag' }, values: [{ key: 'ja', label: 'Ja' }],
  groups: [group('a', 'Med bidrag', 40, 10), group('b', 'Utan bidrag', 3, null)], total: group('total', 'Riket', 43, 10),
  test: null, suppressBelow: 5, population: 'kommuner',
} as unknown as ComparisonResult;

describe('chart SVG and map legend', () => {
  it('the SVG has no font-variant value outside SVG’s (normal | small-caps)', () => {
    const svg = renderChartSvg(result, { standalone: true });
    expect(svg).toMatch(/^<svg/);
    const values = [...svg.matchAll(/font-variant="([^"]*)"/g)].map((m) => m[1]);
    expect(values.filter((v) => v !== 'normal' && v !== 'small-caps')).toEqual([]);
  });

  it('the downloaded SVG stands alone: title, legend, n per group, suppression note and source', () => {
    const svg = downloadChartSvg(result);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="760" height="\d+"/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain('Andel med fortbildning');
    expect(texts).toContain('Ja'); // the legend
    expect(texts).toContain('Antal svar (n): Med bidrag 40, Utan bidrag 3, Riket 43');
    expect(texts).toContain('.. = uppgiften visas inte: färre än 5 svar i gruppen.');
    expect(texts).toContain('Källa: Öppna jämförelser 2019');
    expect(svg.match(/<svg/g)).toHaveLength(2); // the plot nested inside
  });

  it('the PNG rasteriser has a font that draws å, ä and ö', async () => {
    const ink = async (text: string) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="50"><text x="5" y="36" font-family="system-ui, sans-serif" font-size="30">${text}</text></svg>`;
      const { data } = PNG.sync.read(await svgToPng(svg));
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
      return dark;
    };
    const plain = await ink('aao');
    expect(plain).toBeGreaterThan(500); // text is drawn at all: resvg found a font
    const swedish = await ink('åäö');
    expect(swedish).toBeGreaterThan(plain); // the ring and the dots add ink
    expect(swedish).not.toBe(await ink('\uE000\uE000\uE000')); // not a missing-glyph box
  });

  it('says "1 kommun", and "kommuner" otherwise', () => {
    const map = { svg: '<svg></svg>', categories: [{ key: 'x', label: 'Med bidrag', color: '#000', count: 1 }, { key: 'y', label: 'Utan', color: '#111', count: 2 }], rows: [] } as unknown as KommunMap;
    const html = renderToStaticMarkup(createElement(MapFigure, { map, heading: 'Karta' }));
    expect(html).toContain('Med bidrag: 1 kommun<');
    expect(html).toContain('Utan: 2 kommuner<');
  });
});
