import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sizeClass } from '../../app/utils/size-class';
import type { TestDb } from '../helpers/db';
import { runCli } from '../../app/cli/main';

/**
 * Fixtures that reproduce source 003's published aggregates: grant status for the 290 kommuner
 * 2012–2018 (Tabell 8, and the per size class / kommungrupp counts behind Tabell 9–10) and ÖJ
 * 2019 answers (Figur 5, 6, 8, 9) whose per-group n are our choice (the source gives none).
 */

export const PROGRAM = 'vinr-utvecklingsmedel';

/** Runs the CLI against a test database and captures what it prints. */
export async function cli(t: TestDb, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, t.db);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Tabell 8 counts per year: [ej_rekvirerat, forbrukat, aterbetalt]. */
export const TABELL8: Record<number, [number, number, number]> = {
  2012: [182, 105, 3],
  2013: [201, 86, 3],
  2014: [219, 70, 1],
  2016: [45, 221, 24],
  2017: [30, 248, 12],
  2018: [17, 266, 7],
};

/** Tabell 9: class → [n, pct 2014, pct 2018, count 2014, count 2018]. */
export const TABELL9: Record<string, [number, number, number, number, number]> = {
  '0-15': [133, 11, 87, 15, 116],
  '15-30': [71, 20, 97, 14, 69],
  '30-70': [54, 41, 94, 22, 51],
  '70-200': [28, 54, 93, 15, 26],
  '200+': [4, 100, 100, 4, 4],
};

/** Tabell 10: kommungrupp 2017 → [n, pct 2014, pct 2018, count 2014, count 2018]. */
export const TABELL10: Record<string, [number, number, number, number, number]> = {
  A1: [3, 100, 100, 3, 3],
  A2: [43, 33, 95, 14, 41],
  B3: [21, 57, 95, 12, 20],
  B4: [52, 29, 88, 15, 46],
  B5: [35, 9, 91, 3, 32],
  C6: [29, 34, 90, 10, 26],
  C7: [52, 17, 88, 9, 46],
  C8: [40, 10, 95, 4, 38],
  C9: [15, 0, 93, 0, 14],
};

/**
 * ÖJ 2019 answers per group ("used" = förbrukat 2018, "notUsed" = the other 24): the first n
 * members of the group answer, with the given counts in option order; the rest give no answer.
 */
export const OJ_PLAN: Record<string, { used: Record<string, number>; notUsed: Record<string, number>; published: { used: number; notUsed: number; riket?: number; value: string } }> = {
  fortbildning_vuxna: { used: { ja: 235, nej: 5 }, notUsed: { ja: 14, nej: 7 }, published: { used: 98, notUsed: 67, riket: 95, value: 'ja' } },
  plan_kompetensutveckling: { used: { ja: 125, nej: 125 }, notUsed: { ja: 8, nej: 14 }, published: { used: 50, notUsed: 36, value: 'ja' } },
  systematisk_uppfoljning: { used: { ja: 20, delvis: 5, nej: 225 }, notUsed: { ja: 2, delvis: 0, nej: 22 }, published: { used: 8, notUsed: 8, riket: 8, value: 'ja' } },
  rutin_skyddade_uppgifter: { used: { ja: 108, nej: 142 }, notUsed: { ja: 2, nej: 18 }, published: { used: 43, notUsed: 10, value: 'ja' } },
  // Only Riket is published (92 %, the ÖJ trend); the split is ours.
  fortbildning_barn: { used: { ja: 225, nej: 15 }, notUsed: { ja: 16, nej: 6 }, published: { used: 94, notUsed: 73, riket: 92, value: 'ja' } },
};

/**
 * Bilaga 1 Tabell 1 (kronor): [allocated, used] per recipient type and year; repaid = the rest.
 * Kommuner: split over the kommuner that requested (Tabell 8); regioner over all 21; ideella
 * föreningar over the granted organisations (Tabell 7: 64 / 41 / 28).
 */
export const BILAGA1: Record<'kommun' | 'region' | 'organisation', Record<number, [number, number]>> = {
  kommun: { 2016: [50_000_000, 40_655_000], 2017: [50_000_000, 44_088_000], 2018: [50_000_000, 45_979_117] },
  region: { 2016: [20_000_000, 14_313_000], 2017: [20_000_000, 17_077_000], 2018: [20_000_000, 18_313_247] },
  organisation: { 2016: [15_000_000, 13_002_000], 2017: [10_000_000, 9_159_000], 2018: [10_000_000, 9_662_621] },
};
export const IDEELLA_GRANTED: Record<number, number> = { 2016: 64, 2017: 41, 2018: 28 };

/** `total` split over `count` parts that differ by at most one krona (the first ones larger). */
export function split(total: number, count: number): number[] {
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => base + (i < total - base * count ? 1 : 0));
}

/** Tabell 4 (utsatta_grupper, multiple choice): n per year and counts per option. */
export const TABELL4 = {
  n: { 2016: 111, 2017: 144, 2018: 171 } as Record<number, number>,
  rows: {
    hedersrelaterat_vald: [47, 67, 80],
    funktionsnedsattning: [38, 43, 55],
    missbruk: [24, 33, 56],
    utlandsk_bakgrund: [33, 39, 56],
    aldre_kvinnor: [38, 39, 53],
    unga_kvinnor: [15, 20, 42],
  } as Record<string, number[]>,
};

export interface Kommun {
  id: number;
  code: string;
  population: number;
  kg: string;
}

export async function kommuner(t: TestDb): Promise<Kommun[]> {
  const rows = await t.db
    .selectFrom('organisations')
    .select(['id', 'code', 'population', 'kommungrupp2017_code'])
    .where('kind', '=', 'kommun')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, population: r.population ?? 0, kg: r.kommungrupp2017_code ?? '' }));
}

/**
 * Picks kommuner so that the number per size class and per kommungrupp both match the targets:
 * a max-flow over size class → (class, group) cell → group.
 */
export function pickByMargins(all: Kommun[], bySize: Record<string, number>, byGroup: Record<string, number>): Set<string> {
  const cells = new Map<string, Kommun[]>();
  for (const k of all) {
    const key = `${sizeClass(k.population)}|${k.kg}`;
    cells.set(key, [...(cells.get(key) ?? []), k]);
  }
  const flow = new Map<string, number>();
  const sizeLeft = { ...bySize };
  const groupLeft = { ...byGroup };
  // Augmenting paths: size → cell → group, or size → cell → group ← cell' ← size' … (BFS).
  for (;;) {
    const path = augment(cells, flow, sizeLeft, groupLeft);
    if (!path) break;
    for (const step of path) flow.set(step.cell, (flow.get(step.cell) ?? 0) + step.delta);
    sizeLeft[path[0].size]--;
    groupLeft[path[path.length - 1].group]--;
  }
  const picked = new Set<string>();
  for (const [cell, f] of flow) for (const k of (cells.get(cell) ?? []).slice(0, f)) picked.add(k.code);
  return picked;
}

function augment(
  cells: Map<string, Kommun[]>,
  flow: Map<string, number>,
  sizeLeft: Record<string, number>,
  groupLeft: Record<string, number>,
): { cell: string; size: string; group: string; delta: number }[] | null {
  type Node = { kind: 'size' | 'group'; key: string };
  const prev = new Map<string, { from: string; cell: string; delta: number } | null>();
  const queue: Node[] = [];
  for (const s of Object.keys(sizeLeft)) if (sizeLeft[s] > 0) {
    prev.set(`s:${s}`, null);
    queue.push({ kind: 'size', key: s });
  }
  while (queue.length) {
    const node = queue.shift()!;
    for (const [cell, members] of cells) {
      const [s, g] = cell.split('|');
      const f = flow.get(cell) ?? 0;
      if (node.kind === 'size' && s === node.key && f < members.length && !prev.has(`g:${g}`)) {
        prev.set(`g:${g}`, { from: `s:${s}`, cell, delta: 1 });
        if (groupLeft[g] > 0) return unwind(prev, `g:${g}`);
        queue.push({ kind: 'group', key: g });
      } else if (node.kind === 'group' && g === node.key && f > 0 && !prev.has(`s:${s}`)) {
        prev.set(`s:${s}`, { from: `g:${g}`, cell, delta: -1 });
        queue.push({ kind: 'size', key: s });
      }
    }
  }
  return null;
}

function unwind(prev: Map<string, { from: string; cell: string; delta: number } | null>, end: string) {
  const steps: { cell: string; size: string; group: string; delta: number }[] = [];
  let at = end;
  for (let p = prev.get(at); p; at = p.from, p = prev.get(at)) {
    const [s, g] = p.cell.split('|');
    steps.unshift({ cell: p.cell, size: s, group: g, delta: p.delta });
  }
  return steps;
}

/** Grant ledger rows (CSV records) for 2012–2018 reproducing Tabell 8–10. */
export function grantRecords(all: Kommun[]): Record<string, string | number>[] {
  const records: Record<string, string | number>[] = [];
  for (const [yearText, [, used, repaid]] of Object.entries(TABELL8)) {
    const year = Number(yearText);
    let usedSet: Set<string>;
    if (year === 2014 || year === 2018) {
      const col = year === 2014 ? 3 : 4;
      usedSet = pickByMargins(
        all,
        Object.fromEntries(Object.entries(TABELL9).map(([k, v]) => [k, v[col]])),
        Object.fromEntries(Object.entries(TABELL10).map(([k, v]) => [k, v[col]])),
      );
    } else usedSet = new Set(all.slice(0, used).map((k) => k.code));
    if (usedSet.size !== used) throw new Error(`fixture: picked ${usedSet.size} used kommuner for ${year}, want ${used}`);
    const others = all.filter((k) => !usedSet.has(k.code));
    const repaidSet = new Set(others.slice(0, repaid).map((k) => k.code));
    // 2016–2018 amounts add up to Bilaga 1 Tabell 1 to the krona; earlier years are ours.
    const money = BILAGA1.kommun[year];
    const allocations = money ? split(money[0], used + repaid) : [];
    const uses = money ? split(money[1], used) : [];
    let requested = 0;
    let spent = 0;
    for (const k of all) {
      const status = usedSet.has(k.code) ? 'forbrukat' : repaidSet.has(k.code) ? 'aterbetalt' : 'ej_rekvirerat';
      const allocated = status === 'ej_rekvirerat' ? 0 : money ? allocations[requested++] : 100_000 + (k.population % 1000);
      const usedSek = status !== 'forbrukat' ? 0 : money ? uses[spent++] : allocated - 1000;
      records.push({ org: k.code, program: PROGRAM, year, status, allocated_sek: allocated, used_sek: usedSek, repaid_sek: allocated - usedSek });
    }
  }
  return records;
}

/** Wide ÖJ 2019 rows for the plan above, given who used funds in 2018. */
export function ojRecords(all: Kommun[], used2018: Set<string>): Record<string, string>[] {
  const groups = { used: all.filter((k) => used2018.has(k.code)), notUsed: all.filter((k) => !used2018.has(k.code)) };
  const rows = new Map<string, Record<string, string>>();
  for (const [question, plan] of Object.entries(OJ_PLAN)) {
    for (const side of ['used', 'notUsed'] as const) {
      let i = 0;
      for (const [value, count] of Object.entries(plan[side]))
        for (let c = 0; c < count; c++, i++) {
          const k = groups[side][i];
          rows.set(k.code, { ...(rows.get(k.code) ?? { org: k.code }), [question]: value });
        }
    }
  }
  const questions = Object.keys(OJ_PLAN);
  return [...rows.values()].map((r) => Object.fromEntries([['org', r.org], ...questions.map((q) => [q, r[q] ?? ''])]));
}

/** Wide rows of one återrapportering year for Tabell 4 (each of the n kommuner picks ≥ 1 option). */
export function tabell4Records(all: Kommun[], yearIndex: number, n: number): Record<string, string>[] {
  const chosen: string[][] = Array.from({ length: n }, () => []);
  let offset = 0;
  for (const [option, counts] of Object.entries(TABELL4.rows)) {
    for (let c = 0; c < counts[yearIndex]; c++) chosen[(offset + c) % n].push(option);
    offset += counts[yearIndex];
  }
  return chosen.map((options, i) => ({ org: all[i].code, utsatta_grupper: options.join(';') }));
}

export function writeCsv(records: Record<string, unknown>[], name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-compare-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify(records, { header: true }));
  return file;
}

export function writeJson(value: unknown, name = 'definition.json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-compare-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

/** Loads the whole fixture through the CLI imports; returns the kommuner and the 2018 users. */
export async function loadFixture(t: TestDb) {
  const all = await kommuner(t);
  const grants = grantRecords(all);
  const g = await cli(t, 'import-grants', writeCsv(grants, 'grants.csv'));
  if (g.code !== 0) throw new Error(`import-grants failed: ${g.stderr}`);
  const used2018 = new Set(grants.filter((r) => r.year === 2018 && r.status === 'forbrukat').map((r) => String(r.org)));
  const oj = await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', writeCsv(ojRecords(all, used2018), 'oj.csv'));
  if (oj.code !== 0) throw new Error(`import-responses failed: ${oj.stderr}`);
  return { all, used2018, grants };
}
