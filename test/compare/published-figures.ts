import type { ComparisonResult, GroupResult, PeriodResult } from '../../app/models/comparisons/compute.server';
import { BILAGA1, IDEELLA_GRANTED, OJ_PLAN, TABELL10, TABELL4, TABELL8, TABELL9 } from './fixtures';
import { TABELL3, TABELL5 } from './published-fixtures';

/**
 * The published cells of source 003 and 004, per shipped definition file, as
 * [where, published, ours] triples; checkPublished lists every cell where ours differs. n and
 * non-response (missing) are cells too. Source lines: domain notes/source-003.md §3.
 */

type Cell = [where: string, published: number | boolean, ours: number | boolean | null | undefined];
type Figure = { name: string; cells: (r: ComparisonResult) => Cell[] };

const periods = (r: ComparisonResult): PeriodResult[] => r.periods ?? [{ key: '', label: '', groups: r.groups, total: r.total, test: r.test }];
const period = (r: ComparisonResult, label: string) => periods(r).find((p) => p.label.replace('*', '') === label);
const group = (p: PeriodResult | undefined, key: string): GroupResult | undefined => p?.groups.find((g) => g.key === key);

function usedByGroup(question: keyof typeof OJ_PLAN, published: { used: Record<string, number>; notUsed: Record<string, number>; riket?: Record<string, number> }): Figure['cells'] {
  return (r) => {
    const plan = OJ_PLAN[question];
    const cells: Cell[] = [];
    for (const [side, key, label] of [['used', 'Använt', 'Använt'], ['notUsed', 'Inte använt', 'Inte använt']] as const) {
      const g = r.groups.find((x) => x.key === key);
      const n = Object.values(plan[side]).reduce((a, b) => a + b, 0);
      cells.push([`${label} n`, n, g?.n], [`${label} missing`, (side === 'used' ? 266 : 24) - n, g?.missing]);
      for (const [value, pct] of Object.entries(published[side])) cells.push([`${label} ${value}`, pct, g?.percent[value]]);
    }
    for (const [value, pct] of Object.entries(published.riket ?? {})) cells.push([`Riket ${value}`, pct, r.total.percent[value]]);
    cells.push(['Riket n + missing', 290, r.total.n + r.total.missing]);
    return cells;
  };
}

function multipleChoice(table: { n: Record<number, number>; rows: Record<string, number[]> }, requesting: Record<number, number>): Figure['cells'] {
  return (r) =>
    [2016, 2017, 2018].flatMap((year, i): Cell[] => {
      const p = period(r, String(year));
      return [
        [`${year} n`, table.n[year], p?.total.n],
        [`${year} missing`, 290 - requesting[year], p?.total.missing],
        [`${year} inget av alternativen`, requesting[year] - table.n[year], p?.total.excluded],
        ...Object.entries(table.rows).map(([option, counts]): Cell => [`${year} ${option}`, counts[i], p?.total.counts[option]]),
      ];
    });
}

function byAttribute(table: Record<string, [number, number, number, number, number]>, value: string, totals: [number, number]): Figure['cells'] {
  return (r) =>
    [2014, 2018].flatMap((year, i): Cell[] => {
      const p = period(r, String(year));
      return [
        ...Object.entries(table).flatMap(([key, [n, pct14, pct18]]): Cell[] => [
          [`${year} ${key} n`, n, group(p, key)?.n],
          [`${year} ${key} ${value}`, i === 0 ? pct14 : pct18, group(p, key)?.percent[value]],
        ]),
        [`${year} Totalt ${value}`, totals[i], p?.total.percent[value]],
        [`${year} Totalt N`, 290, p?.total.n],
      ];
    });
}

const REQUESTING = { 2016: 245, 2017: 260, 2018: 273 };

function money(r: ComparisonResult, year: number, g: GroupResult | undefined, kind: keyof typeof BILAGA1, share: number, label: string): Cell[] {
  const [allocated, used] = BILAGA1[kind][year];
  return [
    [`${label} fördelat`, allocated, g?.money?.allocated],
    [`${label} förbrukat`, used, g?.money?.used],
    [`${label} inte förbrukat`, allocated - used, g?.money?.repaid],
    [`${label} andel`, share, g?.money?.share],
    [`${label} under beredning`, year === 2018, g?.money?.provisional],
  ];
}

export const PUBLISHED: Record<string, Figure> = {
  'tabell-3-samordning-placering': {
    name: 'Tabell 3',
    cells: (r) =>
      [2017, 2018].flatMap((year): Cell[] => {
        const p = period(r, String(year));
        const total = Object.values(TABELL3[year]).reduce((a, b) => a + b, 0);
        return [
          ...Object.entries(TABELL3[year]).map(([k, c]): Cell => [`${year} ${k}`, c, p?.total.counts[k]]),
          [`${year} Totalt`, total, p?.total.n],
          [`${year} andel som finansierat samordnaren`, year === 2017 ? 44 : 48, p?.total.answeredPercent],
          [`${year} utan svar bland dem som förbrukat`, (year === 2017 ? 248 : 266) - total, p?.total.missing],
        ];
      }),
  },
  'tabell-4-utsatta-grupper': { name: 'Tabell 4', cells: multipleChoice(TABELL4, REQUESTING) },
  'tabell-5-bedomningsmetoder': { name: 'Tabell 5', cells: multipleChoice(TABELL5, REQUESTING) },
  'tabell-8-status-per-ar': {
    name: 'Tabell 8',
    cells: (r) =>
      Object.entries(TABELL8).flatMap(([year, [ej, used, repaid]]): Cell[] => {
        const p = period(r, year);
        return [
          [`${year} inte rekvirerat`, ej, p?.total.counts.ej_rekvirerat],
          [`${year} förbrukat`, used, p?.total.counts.forbrukat],
          [`${year} återbetalt`, repaid, p?.total.counts.aterbetalt],
          [`${year} N`, 290, p?.total.n],
        ];
      }),
  },
  'tabell-9-kommunstorlek': { name: 'Tabell 9', cells: byAttribute(TABELL9, 'Förbrukat', [24, 92]) },
  'tabell-10-kommungrupp': { name: 'Tabell 10', cells: byAttribute(TABELL10, 'Förbrukat', [24, 92]) },
  'figur-5-fortbildning': { name: 'Figur 5', cells: usedByGroup('fortbildning_vuxna', { used: { ja: 98 }, notUsed: { ja: 67 }, riket: { ja: 95 } }) },
  'figur-6-samlad-plan': { name: 'Figur 6', cells: usedByGroup('plan_kompetensutveckling', { used: { ja: 50 }, notUsed: { ja: 36 } }) },
  'figur-8-systematisk-uppfoljning': {
    name: 'Figur 8',
    cells: usedByGroup('systematisk_uppfoljning', { used: { ja: 8, delvis: 2 }, notUsed: { ja: 8, delvis: 0 }, riket: { ja: 8 } }),
  },
  'figur-9-skyddade-personuppgifter': { name: 'Figur 9', cells: usedByGroup('rutin_skyddade_uppgifter', { used: { ja: 43 }, notUsed: { ja: 10 } }) },
  'oj-trend-fortbildning-vuxna': {
    name: 'ÖJ trend, fortbildning vuxna (95 %, +11 procentenheter sedan 2016)',
    cells: (r) => [
      ['2016 ja', 84, period(r, '2016')?.total.percent.ja],
      ['2019 ja', 95, period(r, '2019')?.total.percent.ja],
      ['förändring 2016–2019 (procentenheter)', 11, r.change?.points.ja],
      ['2017 saknas', true, period(r, '2017')?.noData],
    ],
  },
  'oj-trend-fortbildning-barn': {
    name: 'ÖJ trend, fortbildning barn (92 %, +13 procentenheter sedan 2016)',
    cells: (r) => [
      ['2016 ja', 79, period(r, '2016')?.total.percent.ja],
      ['2019 ja', 92, period(r, '2019')?.total.percent.ja],
      ['förändring 2016–2019 (procentenheter)', 13, r.change?.points.ja],
    ],
  },
  'tabell-2-kommuner-medel': {
    name: 'Tabell 2 (kronor as in Bilaga 1 Tabell 1)',
    cells: (r) =>
      [2016, 2017, 2018].flatMap((year): Cell[] => {
        const p = period(r, String(year));
        // Published share 81 / 89 / 92: 89 disagrees with Bilaga 1's 88 (44 088 000 / 50 000 000 = 88,18 %).
        return [[`${year} antal kommuner som rekvirerade`, REQUESTING[year as 2016], p?.total.n], ...money(r, year, p?.total, 'kommun', [81, 88, 92][year - 2016], `${year}`)];
      }),
  },
  'bilaga-1-tabell-1-fordelning': {
    name: 'Bilaga 1 Tabell 1',
    cells: (r) => [
      ...[2016, 2017, 2018].flatMap((year, i): Cell[] => {
        const p = period(r, String(year));
        return [
          ...money(r, year, group(p, 'kommun'), 'kommun', [81, 88, 92][i], `${year} Kommun`),
          ...money(r, year, group(p, 'region'), 'region', [72, 85, 92][i], `${year} Region`),
          ...money(r, year, group(p, 'organisation'), 'organisation', [87, 92, 97][i], `${year} Ideella föreningar`),
          [`${year} antal ideella föreningar`, IDEELLA_GRANTED[year], group(p, 'organisation')?.n],
        ];
      }),
      ['Summa fördelat', 245_000_000, r.grandTotal?.money?.allocated],
      ['Summa förbrukat', 212_248_985, r.grandTotal?.money?.used],
      ['Summa inte förbrukat', 32_751_015, r.grandTotal?.money?.repaid],
      ['Summa andel', 87, r.grandTotal?.money?.share],
    ],
  },
  'kalla-004-samordningen-battre': {
    name: 'Källa 004, "Har samordningen blivit bättre?"',
    cells: (r) => [
      ['bättre', 72.09, r.total.percent.battre],
      ['delvis bättre', 16.28, r.total.percent.delvis_battre],
      ['ingen skillnad', 11.63, r.total.percent.ingen_skillnad],
      ['N', 43, r.total.n],
      ['bortfall', 0, r.total.missing],
    ],
  },
};

/** Every published cell where the result differs, e.g. "2014 C6 Förbrukat: published 34, ours 34.5". */
export function checkPublished(file: string, r: ComparisonResult): string[] {
  return PUBLISHED[file].cells(r).flatMap(([where, want, got]) => (got === want ? [] : [`${where}: published ${want}, ours ${got}`]));
}
