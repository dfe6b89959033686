import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { ComparisonResult, GroupResult } from './compute.server';
import { textWidth, wrapsWithoutCutting, wrapText } from './text-fit';

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

const FONT = 13;
const LINE = 15; // px per line of a wrapped label
const valueText = (d: Datum) => String(d.percent).replace('.', ',');

/**
 * Columns per group when every group label fits under its column in at most three lines of
 * whole words and the values fit above their bars; otherwise (Tabell 10's kommungrupper)
 * horizontal bars with the labels in a left margin as wide as they need.
 */
function layout(width: number, data: Datum[], series: string[], groups: string[]) {
  const widest = Math.max(...data.filter((d) => d.percent !== null).map((d) => textWidth(valueText(d), FONT)), textWidth('..', FONT));
  const step = (width - 48 - 20) / groups.length;
  const bar = ((step * 0.85) / series.length) * 0.92;
  const counts = groups.map((g) => wrapsWithoutCutting(g, step - 10, FONT));
  if (bar >= widest + 2 && counts.every((n) => n !== null && n <= 3)) {
    const lines = new Map(groups.map((g) => [g, wrapText(g, step - 10, FONT).join('\n')]));
    return { kind: 'columns' as const, lines, marginBottom: 20 + Math.max(...(counts as number[])) * LINE };
  }
  const room = Math.min(Math.max(...groups.map((g) => textWidth(g, FONT))), width * 0.4);
  const wrapped = groups.map((g) => wrapText(g, room, FONT));
  const marginLeft = Math.ceil(Math.max(...wrapped.flat().map((l) => textWidth(l, FONT)))) + 16;
  const band = Math.max(series.length * 20, Math.max(...wrapped.map((w) => w.length)) * LINE) + 16;
  return { kind: 'bars' as const, lines: new Map(groups.map((g, i) => [g, wrapped[i].join('\n')])), marginLeft, marginRight: Math.ceil(widest) + 16, band };
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
  const fit = layout(width, data, series, groups);
  const common = { document, width, style: { fontSize: `${FONT}px`, background: 'white', color: '#1b1f24' }, color: { domain: series, range: PALETTE, legend: false } };
  const svg = (
    fit.kind === 'columns'
      ? Plot.plot({
          ...common,
          height: 380,
          marginTop: 36,
          marginBottom: fit.marginBottom,
          marginLeft: 48,
          marginRight: 20,
          fx: { label: null, domain: groups, padding: 0.15, tickFormat: (g: string) => fit.lines.get(g) ?? g },
          x: { axis: null, domain: series, padding: 0.08 },
          y: { domain: [0, 100], label: 'Procent', grid: true },
          marks: [
            Plot.barY(shown, { fx: 'group', x: 'series', y: 'percent', fill: 'series' }),
            Plot.text(shown, { fx: 'group', x: 'series', y: 'percent', text: valueText, dy: -7, fill: '#1b1f24' }),
            Plot.text(hidden, { fx: 'group', x: 'series', y: 0, text: () => '..', dy: -7, fill: '#1b1f24' }),
            Plot.ruleY([0]),
          ],
        })
      : Plot.plot({
          ...common,
          height: 30 + 48 + groups.length * fit.band,
          marginTop: 30,
          marginBottom: 48,
          marginLeft: fit.marginLeft,
          marginRight: fit.marginRight,
          fy: { label: null, domain: groups, padding: 0.1, axis: 'left', tickFormat: (g: string) => fit.lines.get(g) ?? g },
          y: { axis: null, domain: series, padding: 0.08 },
          x: { domain: [0, 100], label: 'Procent', grid: true },
          marks: [
            Plot.barX(shown, { fy: 'group', y: 'series', x: 'percent', fill: 'series' }),
            Plot.text(shown, { fy: 'group', y: 'series', x: 'percent', text: valueText, dx: 5, textAnchor: 'start', fill: '#1b1f24' }),
            Plot.text(hidden, { fy: 'group', y: 'series', x: 0, text: () => '..', dx: 5, textAnchor: 'start', fill: '#1b1f24' }),
            Plot.ruleX([0]),
          ],
        })
  ) as unknown as Element;
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
