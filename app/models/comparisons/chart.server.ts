import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { ComparisonResult, GroupResult } from './compute.server';

/**
 * Server-side SVG charts of a comparison with Observable Plot on a linkedom document: bars of
 * percent per group (Riket included), one bar per chosen value, or per period for trends
 * (grouped bars). Suppressed cells get no bar and a ".." label. The SVG carries role="img",
 * a <title> and a <desc>; the table beside it is the full text alternative.
 */

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

interface Datum {
  group: string;
  series: string;
  percent: number | null;
}

function chartData(result: ComparisonResult): { data: Datum[]; series: string[]; groups: string[] } {
  const keys = result.chartValues ?? result.values.map((v) => v.key);
  const wanted = result.values.filter((v) => keys.includes(v.key));
  const periods = result.periods ?? [{ key: '', label: '', groups: result.groups, total: result.total, test: result.test }];
  const data: Datum[] = [];
  const rows = (p: (typeof periods)[number]): GroupResult[] => [...p.groups, p.total];
  for (const p of periods)
    for (const g of rows(p))
      for (const v of wanted) {
        const series = result.periods ? (wanted.length > 1 ? `${p.label} ${v.label}` : p.label) : v.label;
        data.push({ group: g.label, series, percent: g.percent[v.key] ?? null });
      }
  return { data, series: [...new Set(data.map((d) => d.series))], groups: [...new Set(data.map((d) => d.group))] };
}

/** The chart as an SVG string; `standalone` adds the XML namespace for a downloaded file. */
export function renderChartSvg(result: ComparisonResult, options: { standalone?: boolean; width?: number } = {}): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  if (result.measure.kind === 'numeric') return emptySvg(document, result, 'Diagram visas inte för talfrågor; se tabellen.', options.standalone);
  const { data, series, groups } = chartData(result);
  if (data.length === 0) return emptySvg(document, result, 'Inga värden att visa.', options.standalone);
  const width = options.width ?? 760;
  const shown = data.filter((d) => d.percent !== null);
  const hidden = data.filter((d) => d.percent === null);
  const svg = Plot.plot({
    document,
    width,
    height: 380,
    marginBottom: 60,
    marginLeft: 48,
    style: { fontSize: '13px', background: 'white', color: '#1b1f24' },
    fx: { label: null, domain: groups, padding: 0.15 },
    x: { axis: null, domain: series, padding: 0.08 },
    y: { domain: [0, 100], label: 'Procent', grid: true },
    color: { domain: series, range: PALETTE, legend: false },
    marks: [
      Plot.barY(shown, { fx: 'group', x: 'series', y: 'percent', fill: 'series' }),
      Plot.text(shown, { fx: 'group', x: 'series', y: 'percent', text: (d: Datum) => `${String(d.percent).replace('.', ',')}`, dy: -7, fill: '#1b1f24' }),
      Plot.text(hidden, { fx: 'group', x: 'series', y: 0, text: () => '..', dy: -7, fill: '#1b1f24' }),
      Plot.ruleY([0]),
    ],
  }) as unknown as Element;
  // Plot labels its <g> groups with aria-label, which ARIA forbids on elements without a role;
  // the whole chart is one image with a title, description and a table beside it.
  for (const el of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
    el.removeAttribute('aria-label');
    el.removeAttribute('aria-description');
  }
  // Plot writes font-variant="tabular-nums", which is not a value of SVG's font-variant
  // attribute (normal | small-caps): validators reject it. The same wish as valid CSS:
  for (const el of Array.from(svg.querySelectorAll('[font-variant]'))) {
    const value = el.getAttribute('font-variant')!;
    el.removeAttribute('font-variant');
    if (value !== 'normal' && value !== 'small-caps') el.setAttribute('style', `${el.getAttribute('style') ? `${el.getAttribute('style')};` : ''}font-variant-numeric:${value}`);
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${result.title}. Stapeldiagram i procent per grupp; värdena finns i tabellen.`);
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = result.title;
  svg.insertBefore(title, svg.firstChild);
  const desc = document.createElementNS('http://www.w3.org/2000/svg', 'desc');
  desc.textContent = data.map((d) => `${d.group}, ${d.series}: ${d.percent === null ? 'undertryckt' : `${d.percent} %`}`).join('; ');
  svg.insertBefore(desc, title.nextSibling);
  if (options.standalone) svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return svg.outerHTML;
}

/** The chart's series, for a legend in HTML (colour → name). */
export function chartLegend(result: ComparisonResult): { label: string; color: string }[] {
  if (result.measure.kind === 'numeric') return [];
  return chartData(result).series.map((label, i) => ({ label, color: PALETTE[i % PALETTE.length] }));
}

function emptySvg(document: Document, result: ComparisonResult, text: string, standalone?: boolean): string {
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  void document;
  return `<svg${ns} role="img" aria-label="${esc(result.title)}" viewBox="0 0 600 60" width="600" height="60"><title>${esc(result.title)}</title><text x="10" y="35" font-size="14">${esc(text)}</text></svg>`;
}
