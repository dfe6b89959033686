import type { TestDb } from '../helpers/db';
import { BILAGA1, cli, IDEELLA_GRANTED, PROGRAM, split, writeCsv, type Kommun } from './fixtures';

/**
 * The rest of source 003's published marginals, on top of loadFixture: återrapportering answers
 * (Tabell 3, 4, 5), earlier ÖJ years (the fortbildning trend) and the regions' and ideella
 * föreningars ledger rows (Bilaga 1 Tabell 1).
 */

/** Tabell 3: placement counts 2017 and 2018 among the kommuner that used the funds that year. */
export const TABELL3: Record<number, Record<string, number>> = {
  2017: { forvaltningsovergripande: 41, specifik_enhet: 25, enskild_handlaggare: 32, extern_niva: 10 },
  2018: { forvaltningsovergripande: 36, specifik_enhet: 42, enskild_handlaggare: 36, extern_niva: 14 },
};

/** Tabell 5 (bedomningsmetoder, multiple choice): n per year and counts per option. */
export const TABELL5 = {
  n: { 2016: 64, 2017: 97, 2018: 121 } as Record<number, number>,
  rows: {
    freda_kortfragor: [49, 77, 105],
    freda_beskrivning: [37, 67, 80],
    freda_farlighetsbedomning: [36, 64, 79],
    sara: [20, 15, 18],
    patriark: [34, 39, 56],
  } as Record<string, number[]>,
};

/** ÖJ fortbildning, Riket: [ja, nej] per year; 2017 has no answers (a gap in the series). */
export const OJ_TREND: Record<string, Record<string, [number, number]>> = {
  'oj-vinr-2016': { fortbildning_vuxna: [210, 40], fortbildning_barn: [190, 51] },
  'oj-vinr-2018': { fortbildning_vuxna: [225, 25], fortbildning_barn: [210, 40] },
};

/** Options per member so that each of the first n members chooses ≥ 1 and option counts match. */
function spread(rows: Record<string, number[]>, yearIndex: number, n: number): string[][] {
  const chosen: string[][] = Array.from({ length: n }, () => []);
  let offset = 0;
  for (const [option, counts] of Object.entries(rows)) {
    for (let c = 0; c < counts[yearIndex]; c++) chosen[(offset + c) % n].push(option);
    offset += counts[yearIndex];
  }
  return chosen;
}

/**
 * Återrapportering answers per year from the kommuner that requested funds (ledger status not
 * ej_rekvirerat): the first Tabell 4/5 n choose options, the others answer "none" (inget av
 * alternativen), which the published n leave out. Tabell 3 placements from the users.
 */
export function reportRecords(all: Kommun[], grants: Record<string, string | number>[], year: number): Record<string, string>[] {
  const status = new Map(grants.filter((g) => g.year === year).map((g) => [String(g.org), String(g.status)]));
  const requesting = all.filter((k) => status.get(k.code) !== 'ej_rekvirerat');
  const users = requesting.filter((k) => status.get(k.code) === 'forbrukat');
  const i = year - 2016;
  const t4 = spread({ hedersrelaterat_vald: [47, 67, 80], funktionsnedsattning: [38, 43, 55], missbruk: [24, 33, 56], utlandsk_bakgrund: [33, 39, 56], aldre_kvinnor: [38, 39, 53], unga_kvinnor: [15, 20, 42] }, i, [111, 144, 171][i]);
  const t5 = spread(TABELL5.rows, i, TABELL5.n[year]);
  const placement = new Map<string, string>();
  if (TABELL3[year]) {
    let u = 0;
    for (const [value, count] of Object.entries(TABELL3[year])) for (let c = 0; c < count; c++) placement.set(users[u++].code, value);
  }
  return requesting.map((k, j) => ({
    org: k.code,
    utsatta_grupper: (t4[j] ?? ['none']).join(';'),
    bedomningsmetoder: (t5[j] ?? ['none']).join(';'),
    ...(year >= 2017 ? { samordning_placering: placement.get(k.code) ?? '' } : {}),
  }));
}

/** Loads the återrapportering years, the earlier ÖJ years and the regions' and ideella ledger. */
export async function loadPublished(t: TestDb, all: Kommun[], grants: Record<string, string | number>[]) {
  const run = async (...argv: string[]) => {
    const r = await cli(t, ...argv);
    if (r.code !== 0) throw new Error(`${argv[0]} failed: ${r.stderr}`);
  };
  for (const year of [2016, 2017, 2018])
    await run('import-responses', '--survey', `aterrapportering-kommun-${year}`, writeCsv(reportRecords(all, grants, year), `r${year}.csv`));
  for (const [survey, questions] of Object.entries(OJ_TREND)) {
    const rows = all.map((k, j) => ({ org: k.code, ...Object.fromEntries(Object.entries(questions).map(([q, [ja, nej]]) => [q, j < ja ? 'ja' : j < ja + nej ? 'nej' : ''])) }));
    await run('import-responses', '--survey', survey, writeCsv(rows.filter((r) => Object.values(r).slice(1).some(Boolean)), `${survey}.csv`));
  }
  const orgs = Array.from({ length: 64 }, (_, j) => ({ kind: 'organisation', code: `ideell-${String(j + 1).padStart(2, '0')}`, name: `Ideell förening ${j + 1}`, lan: '', parent: '' }));
  await run('import-orgs', writeCsv(orgs, 'orgs.csv'));
  const regions = (await t.db.selectFrom('organisations').select('code').where('kind', '=', 'region').orderBy('code').execute()).map((r) => r.code);
  const ledger: Record<string, string | number>[] = [];
  for (const year of [2016, 2017, 2018]) {
    const push = (codes: string[], [allocated, used]: [number, number]) => {
      const a = split(allocated, codes.length);
      const u = split(used, codes.length);
      codes.forEach((org, j) => ledger.push({ org, program: PROGRAM, year, status: 'forbrukat', allocated_sek: a[j], used_sek: u[j], repaid_sek: a[j] - u[j] }));
    };
    push(regions, BILAGA1.region[year]);
    push(orgs.slice(0, IDEELLA_GRANTED[year]).map((o) => o.code), BILAGA1.organisation[year]);
  }
  await run('import-grants', writeCsv(ledger, 'ledger.csv'));
  return { regions: regions.length };
}
