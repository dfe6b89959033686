import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { importResponses } from '../../app/models/imports/responses.server';
import { DEMO_PROGRAM } from './demo-compare';

/**
 * Demo återrapportering 2016–2018 for the kommuner that requested funds in the demo ledger, so
 * the shipped Tabell 3, 4 and 5 have data: target groups and assessment methods (multiple choice,
 * some "inget av alternativen"), and the coordinator's placement from 2017. Not real data.
 */

const GROUPS = ['hedersrelaterat_vald', 'funktionsnedsattning', 'missbruk', 'utlandsk_bakgrund', 'aldre_kvinnor', 'unga_kvinnor'];
const METHODS = ['freda_kortfragor', 'freda_beskrivning', 'freda_farlighetsbedomning', 'sara', 'patriark'];
const PLACEMENTS = ['forvaltningsovergripande', 'specifik_enhet', 'enskild_handlaggare', 'extern_niva'];

function unit(key: string): number {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

/** Options chosen with a share that grows by year (more kommuner over the period); "none" when nothing. */
function pick(options: string[], key: string, share: number): string {
  const chosen = options.filter((o) => unit(`${key}-${o}`) < share);
  return chosen.length ? chosen.join(';') : 'none';
}

export async function reportsDemo(db: Kysely<Database>): Promise<string> {
  if (await db.selectFrom('answer_values').select('question').where('survey_id', '=', 'aterrapportering-kommun-2016').limit(1).executeTakeFirst()) return 'återrapportering demo already there';
  let total = 0;
  for (const year of [2016, 2017, 2018]) {
    const requesting = await db
      .selectFrom('grants as g')
      .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
      .select(['o.code', 'g.status'])
      .where('g.program', '=', DEMO_PROGRAM)
      .where('g.year', '=', year)
      .where('g.status', '<>', 'ej_rekvirerat')
      .where('o.kind', '=', 'kommun')
      .orderBy('o.code')
      .execute();
    if (requesting.length === 0) return 'no demo grant ledger, skipped the återrapportering demo';
    const growth = (year - 2015) * 0.08;
    const headers = ['org', 'utsatta_grupper', 'bedomningsmetoder', ...(year >= 2017 ? ['samordning_placering'] : [])];
    const rows = requesting.map((r, i) => {
      const cells: Record<string, string> = {
        org: r.code,
        utsatta_grupper: pick(GROUPS, `${r.code}-${year}-g`, 0.1 + growth),
        bedomningsmetoder: pick(METHODS, `${r.code}-${year}-m`, 0.08 + growth),
      };
      if (year >= 2017) cells.samordning_placering = r.status === 'forbrukat' && unit(`${r.code}-${year}-s`) < 0.45 ? PLACEMENTS[Math.floor(unit(`${r.code}-p`) * 4)] : '';
      return { line: i + 2, cells };
    });
    total += (await importResponses(db, `aterrapportering-kommun-${year}`, { headers, rows }, { roundTitle: `Återrapportering ${year} (historisk import, demo)` })).created;
  }
  return `${total} imported återrapporteringar 2016–2018`;
}
