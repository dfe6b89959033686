import type { Kysely } from 'kysely';
import type { Database, NewGrant } from '../schema';
import { upsertGrants } from '../../app/models/grants/grants.server';
import { importResponses } from '../../app/models/imports/responses.server';

/**
 * Demo for /jamfor: a synthetic grant ledger for all kommuner 2012–2018 whose yearly status
 * counts are those of source 003 Tabell 8, and imported ÖJ 2019 answers that lean the way
 * Figur 5–9 do. Not real data: who used the funds is drawn from population and a hash.
 */

export const DEMO_PROGRAM = 'vinr-utvecklingsmedel';
const ROUND_TITLE = 'Öppna jämförelser 2019 (historisk import, demo)';
/** Tabell 8: [not requested, used, repaid in full]. */
const STATUS_COUNTS: Record<number, [number, number, number]> = { 2012: [182, 105, 3], 2013: [201, 86, 3], 2014: [219, 70, 1], 2016: [45, 221, 24], 2017: [30, 248, 12], 2018: [17, 266, 7] };

/** A stable pseudo-random number in [0, 1) for a key. */
function unit(key: string): number {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

export async function compareDemo(db: Kysely<Database>): Promise<string> {
  if (await db.selectFrom('grants').select('id').where('program', '=', DEMO_PROGRAM).limit(1).executeTakeFirst()) return 'grant ledger already there';
  const kommuner = await db.selectFrom('organisations').select(['id', 'code', 'population']).where('kind', '=', 'kommun').orderBy('code').execute();
  if (kommuner.length !== 290) return 'not 290 kommuner, skipped the grant ledger demo';
  const totalPop = kommuner.reduce((s, k) => s + (k.population ?? 0), 0);
  const now = new Date().toISOString();
  const grants: NewGrant[] = [];
  const used2018 = new Set<string>();
  for (const [yearText, [, used, repaid]] of Object.entries(STATUS_COUNTS)) {
    const year = Number(yearText);
    // Larger kommuner used the funds more often, above all under the 2012–2014 application model.
    const weight = year <= 2014 ? 2 : 0.6;
    const ranked = [...kommuner].sort((a, b) => score(b, year, weight) - score(a, year, weight));
    ranked.forEach((k, i) => {
      const status = i < used ? 'forbrukat' : i < used + repaid ? 'aterbetalt' : 'ej_rekvirerat';
      if (year === 2018 && status === 'forbrukat') used2018.add(k.code);
      const allocated = status === 'ej_rekvirerat' ? 0 : Math.max(80_000, Math.round((50_000_000 * (k.population ?? 0)) / totalPop));
      const usedSek = status === 'forbrukat' ? Math.round(allocated * (0.75 + 0.25 * unit(`${k.code}-${year}-u`))) : 0;
      grants.push({ organisation_id: k.id, program: DEMO_PROGRAM, year, status, allocated_sek: allocated, used_sek: usedSek, repaid_sek: allocated - usedSek, created_at: now, updated_at: now });
    });
  }
  await upsertGrants(db, grants);

  // ÖJ 2019: 93 % answered; "yes" is likelier where the funds were used (cf. Figur 5–9).
  const already = new Set(
    (await db.selectFrom('answer_values as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select('o.code').where('a.survey_id', '=', 'oj-vinr-2019').distinct().execute()).map((r) => r.code),
  );
  const share: Record<string, [number, number]> = {
    fortbildning_vuxna: [0.97, 0.67],
    fortbildning_barn: [0.93, 0.75],
    plan_kompetensutveckling: [0.5, 0.36],
    overenskommelse_primarvard: [0.3, 0.15],
    rutin_skyddade_uppgifter: [0.43, 0.1],
  };
  const headers = ['org', ...Object.keys(share), 'systematisk_uppfoljning'];
  const rows = kommuner
    .filter((k) => !already.has(k.code) && unit(`${k.code}-svar`) < 0.93)
    .map((k, line) => {
      const side = used2018.has(k.code) ? 0 : 1;
      const cells: Record<string, string> = { org: k.code };
      for (const [q, p] of Object.entries(share)) cells[q] = unit(`${k.code}-${q}`) < 0.03 ? '' : unit(`${k.code}-${q}-v`) < p[side] ? 'ja' : 'nej';
      const s = unit(`${k.code}-sys`);
      cells.systematisk_uppfoljning = s < 0.08 ? 'ja' : s < 0.1 && side === 0 ? 'delvis' : 'nej';
      return { line: line + 2, cells };
    });
  const result = await importResponses(db, 'oj-vinr-2019', { headers, rows }, { roundTitle: ROUND_TITLE });
  return `grant ledger 2012–2018 for 290 kommuner and ${result.created} imported ÖJ 2019 answers`;
}

function score(k: { code: string; population: number | null }, year: number, weight: number): number {
  return weight * Math.log10(Math.max(1000, k.population ?? 0)) + 3 * unit(`${k.code}-${year}`);
}
