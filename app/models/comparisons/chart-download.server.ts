import { chartLegend, renderChartSvg } from './chart.server';
import type { ComparisonResult, GroupResult } from './compute.server';

/**
 * The downloaded chart: a figure pasted into a report must stand alone, so around the plot it
 * carries the title, the legend, n per group, the suppression note and the source line, all as
 * SVG text (selectable, readable by screen readers and validators).
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const LINE = 18;

function nLines(result: ComparisonResult): string[] {
  const list = (groups: GroupResult[]) => groups.map((g) => `${g.label} ${g.n}`).join(', ');
  if (!result.periods) return [`Antal svar (n): ${list([...result.groups, result.total])}`];
  return result.periods.map((p) => `Antal svar (n) ${p.label}: ${list([...p.groups, p.total])}`);
}

/** The standalone SVG file of a comparison's chart. */
export function downloadChartSvg(result: ComparisonResult, width = 760): string {
  const plot = renderChartSvg(result, { width }).replace(/^<svg/, `<svg x="0" y="${LINE * 3}"`);
  const plotHeight = Number(/height="(\d+)"/.exec(plot)?.[1] ?? 380);
  const legend = chartLegend(result);
  const parts: string[] = [];
  let y = LINE * 1.5;
  parts.push(`<text x="10" y="${y}" font-size="17" font-weight="bold">${esc(result.title)}</text>`);
  y = LINE * 3 + plotHeight + LINE;
  legend.forEach((item, i) => {
    const x = 10 + (i % 3) * 250;
    const rowY = y + Math.floor(i / 3) * LINE;
    parts.push(`<rect x="${x}" y="${rowY - 11}" width="12" height="12" fill="${item.color}"/><text x="${x + 18}" y="${rowY}" font-size="13">${esc(item.label)}</text>`);
  });
  y += Math.ceil(legend.length / 3) * LINE + 4;
  const footer = [
    ...nLines(result),
    `.. = uppgiften visas inte: färre än ${result.suppressBelow} svar i gruppen.`,
    `Källa: ${result.source}`,
  ];
  for (const line of footer) {
    parts.push(`<text x="10" y="${y}" font-size="12">${esc(line)}</text>`);
    y += LINE;
  }
  const height = Math.ceil(y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(result.title)}">`,
    `<title>${esc(result.title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<g font-family="system-ui, sans-serif" fill="#1b1f24">`,
    ...parts,
    `</g>`,
    plot,
    `</svg>`,
  ].join('\n');
}
