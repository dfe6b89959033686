import { chartLegend, renderChartSvg } from './chart.server';
import type { ComparisonResult, GroupResult } from './compute.server';
import { BOLD_CHAR_EM, textWidth, wrapText } from './text-fit';

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

/** The standalone SVG file of a comparison's chart; long titles, legends and n lines wrap. */
export function downloadChartSvg(result: ComparisonResult, width = 760): string {
  const room = width - 20;
  const title = wrapText(result.title, room, 17, BOLD_CHAR_EM);
  const top = LINE + title.length * 22;
  const plot = renderChartSvg(result, { width }).replace(/^<svg/, `<svg x="0" y="${top}"`);
  const plotHeight = Number(/height="(\d+)"/.exec(plot)?.[1] ?? 380);
  const legend = chartLegend(result);
  const parts: string[] = [];
  title.forEach((line, i) => parts.push(`<text x="10" y="${LINE * 1.5 + i * 22}" font-size="17" font-weight="bold">${esc(line)}</text>`));
  let y = top + plotHeight + LINE;
  // Legend: up to three columns of 250 px, one column (wrapped) when a name is longer.
  const widest = Math.max(0, ...legend.map((item) => textWidth(item.label, 13)));
  const columns = widest + 18 <= 240 ? 3 : 1;
  for (let i = 0; i < legend.length; i += columns) {
    const row = legend.slice(i, i + columns).map((item) => ({ ...item, lines: wrapText(item.label, columns === 1 ? room - 18 : 222, 13) }));
    row.forEach((item, c) => {
      const x = 10 + c * 250;
      const text = item.lines.map((l, k) => `<text x="${x + 18}" y="${y + k * LINE}" font-size="13">${esc(l)}</text>`).join('');
      parts.push(`<rect x="${x}" y="${y - 11}" width="12" height="12" fill="${item.color}"/>${text}`);
    });
    y += Math.max(...row.map((item) => item.lines.length)) * LINE;
  }
  y += 4;
  const footer = [
    ...nLines(result),
    ...(result.suppressBelow > 1 ? [`.. = uppgiften visas inte: färre än ${result.suppressBelow} svar i gruppen.`] : []),
    `Källa: ${result.source}`,
  ];
  for (const line of footer.flatMap((l) => wrapText(l, room, 12))) {
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
