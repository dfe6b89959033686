import type { Kysely } from 'kysely';
import { GRANT_STATUSES, type Database, type GrantStatus, type NewGrant } from '../../../db/schema';
import type { Tabular } from '../../utils/tabular.server';
import { ImportRowsError, type RowError } from '../imports/errors.server';

/**
 * The grant ledger: one row per organisation, programme and year. Rules (also CHECK constraints
 * in the database): used + repaid = allocated; `aterbetalt` means nothing was used; `ej_rekvirerat`
 * means nothing was used either.
 */

export const GRANT_COLUMNS = ['org', 'program', 'year', 'status', 'allocated_sek', 'used_sek', 'repaid_sek'] as const;

export interface GrantInput {
  program: string;
  year: number;
  status: GrantStatus;
  allocated_sek: number;
  used_sek: number;
  repaid_sek: number;
}

/** The rules of one ledger row, as English messages; empty when the row is valid. */
export function grantRuleErrors(g: GrantInput): string[] {
  const errors: string[] = [];
  if (g.used_sek + g.repaid_sek !== g.allocated_sek)
    errors.push(`used_sek + repaid_sek (${g.used_sek + g.repaid_sek}) must equal allocated_sek (${g.allocated_sek})`);
  if (g.status === 'aterbetalt' && g.used_sek !== 0) errors.push('status aterbetalt requires used_sek = 0');
  if (g.status === 'ej_rekvirerat' && g.used_sek !== 0) errors.push('status ej_rekvirerat requires used_sek = 0');
  return errors;
}

const amount = (text: string, column: string, errors: string[]): number => {
  if (!/^\d+$/.test(text.replace(/\s/g, ''))) {
    errors.push(`${column} must be a whole number of kronor ≥ 0, got "${text}"`);
    return 0;
  }
  return Number(text.replace(/\s/g, ''));
};

/**
 * Validates every row of a grant file; returns the ledger rows or throws ImportRowsError with
 * every bad row (line numbers as in the file).
 */
export async function parseGrantRows(db: Kysely<Database>, table: Tabular): Promise<NewGrant[]> {
  const missing = GRANT_COLUMNS.filter((c) => !table.headers.includes(c));
  if (missing.length) throw new ImportRowsError([{ line: 1, message: `missing column(s): ${missing.join(', ')}` }]);
  const orgs = new Map(
    (await db.selectFrom('organisations').select(['id', 'code']).execute()).map((o) => [o.code, o.id] as const),
  );
  const now = new Date().toISOString();
  const seen = new Map<string, number>();
  const rows: NewGrant[] = [];
  const errors: RowError[] = [];
  for (const { line, cells } of table.rows) {
    const messages: string[] = [];
    const orgId = orgs.get(cells.org);
    if (orgId === undefined) messages.push(`unknown org "${cells.org}"`);
    if (!cells.program) messages.push('program is empty');
    const year = Number(cells.year);
    if (!/^\d{4}$/.test(cells.year)) messages.push(`year must be a four-digit year, got "${cells.year}"`);
    const status = cells.status as GrantStatus;
    if (!GRANT_STATUSES.includes(status))
      messages.push(`bad status "${cells.status}": use ${GRANT_STATUSES.join(', ')}`);
    const g: GrantInput = {
      program: cells.program,
      year,
      status,
      allocated_sek: amount(cells.allocated_sek, 'allocated_sek', messages),
      used_sek: amount(cells.used_sek, 'used_sek', messages),
      repaid_sek: amount(cells.repaid_sek, 'repaid_sek', messages),
    };
    if (messages.length === 0) messages.push(...grantRuleErrors(g));
    const key = `${cells.org}|${cells.program}|${cells.year}`;
    if (seen.has(key)) messages.push(`duplicate of line ${seen.get(key)} (same org, program and year)`);
    else seen.set(key, line);
    if (messages.length) errors.push({ line, message: messages.join('; ') });
    else rows.push({ ...g, organisation_id: orgId!, created_at: now, updated_at: now });
  }
  if (errors.length) throw new ImportRowsError(errors);
  if (rows.length === 0) throw new ImportRowsError([{ line: 1, message: 'the file has no data rows' }]);
  return rows;
}

/**
 * Imports a grant file: all rows or none. An existing (org, program, year) is replaced.
 * @example await importGrants(db, await readTabularFile('medel.csv'))
 */
export async function importGrants(db: Kysely<Database>, table: Tabular): Promise<{ imported: number; replaced: number }> {
  const rows = await parseGrantRows(db, table);
  return upsertGrants(db, rows);
}

/** Inserts or replaces ledger rows in one transaction. */
export async function upsertGrants(db: Kysely<Database>, rows: NewGrant[]): Promise<{ imported: number; replaced: number }> {
  return db.transaction().execute(async (trx) => {
    const before = Number(
      (await trx.selectFrom('grants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('grants')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) =>
          oc.columns(['organisation_id', 'program', 'year']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            allocated_sek: eb.ref('excluded.allocated_sek'),
            used_sek: eb.ref('excluded.used_sek'),
            repaid_sek: eb.ref('excluded.repaid_sek'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    const after = Number(
      (await trx.selectFrom('grants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );
    return { imported: rows.length, replaced: rows.length - (after - before) };
  });
}

/** The programmes and years in the ledger, for the comparison builder. */
export async function listGrantPrograms(db: Kysely<Database>): Promise<{ program: string; years: number[] }[]> {
  const rows = await db.selectFrom('grants').select(['program', 'year']).distinct().orderBy('program').orderBy('year').execute();
  const byProgram = new Map<string, number[]>();
  for (const r of rows) byProgram.set(r.program, [...(byProgram.get(r.program) ?? []), Number(r.year)]);
  return [...byProgram].map(([program, years]) => ({ program, years }));
}
