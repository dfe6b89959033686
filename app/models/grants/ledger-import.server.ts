import type { Kysely } from 'kysely';
import type { Database, LedgerRow } from '../../../db/schema';
import type { Tabular } from '../../utils/tabular.server';
import { audit } from '../auth/audit.server';
import { ImportRowsError, type RowError } from '../imports/errors.server';
import { checkLedgerRow } from './ledger-write.server';
import { getYear, GrantInputError } from './programs.server';
import { refreshLedgerRows } from './record.server';

/**
 * The ledger of one grant year from a CSV/XLSX file: the browser upload on /admin/medel/$yearId
 * and `import-grants --year <id>` both call `importLedger`. All rows or none; every bad row is
 * reported with its line, column and an English and a Swedish message. An empty cell leaves the
 * stored fact as it is.
 */

export const LEDGER_IMPORT_AMOUNTS = ['allocated_sek', 'requested_sek', 'paid_sek', 'used_sek', 'repaid_sek', 'reclaimed_sek'] as const;
export const LEDGER_IMPORT_DATES = ['requested_at', 'paid_at', 'repaid_at', 'reclaimed_at'] as const;
export const LEDGER_IMPORT_COLUMNS = ['org', ...LEDGER_IMPORT_AMOUNTS, ...LEDGER_IMPORT_DATES, 'reclaim_reason'] as const;

type Amount = (typeof LEDGER_IMPORT_AMOUNTS)[number];
type DateColumn = (typeof LEDGER_IMPORT_DATES)[number];
type Patch = Partial<Record<Amount, number> & Record<DateColumn | 'reclaim_reason', string>>;

export interface LedgerImportResult {
  imported: number;
  created: number;
}

const bad = (line: number, column: string, message: string, sv: string): RowError => ({ line, column, message, sv });

/** Parses "2019-06-10" (or a full ISO time) into an ISO string, or null. */
function parseDate(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(text)) return null;
  const t = Date.parse(text.length === 10 ? `${text}T12:00:00Z` : text);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * Imports ledger facts for a grant year: all rows or none, audited (one entry per changed row
 * and one for the file), statuses derived again. A year allocated per decision takes new rows
 * (with allocated_sek); a computed year only updates the rows of its allocation.
 * @example await importLedger(db, yearId, await readTabular(buffer, 'register.xlsx'), { actorUserId: user.id, source: 'register.xlsx' })
 */
export async function importLedger(db: Kysely<Database>, yearId: number, table: Tabular, options: { actorUserId: number | null; source?: string }): Promise<LedgerImportResult> {
  const year = await getYear(db, yearId);
  if (!year) throw new GrantInputError('no such grant year', 'Året finns inte.');
  if (!table.headers.includes('org')) throw new ImportRowsError([bad(1, 'org', 'missing column org', 'Kolumnen org (organisationskod) saknas.')]);
  const known = table.headers.filter((h) => (LEDGER_IMPORT_COLUMNS as readonly string[]).includes(h));
  if (known.length < 2) throw new ImportRowsError([bad(1, '', `no ledger columns: use ${LEDGER_IMPORT_COLUMNS.slice(1).join(', ')}`, `Filen har inga kolumner för registret. Använd ${LEDGER_IMPORT_COLUMNS.slice(1).join(', ')}.`)]);
  const orgs = new Map((await db.selectFrom('organisations').select(['id', 'code', 'kind']).execute()).map((o) => [o.code, o] as const));
  const existing = new Map((await db.selectFrom('grant_ledger').selectAll().where('grant_year_id', '=', yearId).execute()).map((r) => [r.organisation_id, r] as const));
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const planned: { line: number; organisationId: number; before: LedgerRow | undefined; patch: Patch }[] = [];
  for (const { line, cells } of table.rows) {
    const rowErrors: RowError[] = [];
    const code = cells.org ?? '';
    const org = orgs.get(code);
    if (!code) rowErrors.push(bad(line, 'org', 'org is empty', 'Organisationskoden saknas.'));
    else if (!org) rowErrors.push(bad(line, 'org', `unknown organisation code "${code}"`, `Okänd organisationskod "${code}".`));
    else if (seen.has(code)) rowErrors.push(bad(line, 'org', `duplicate of line ${seen.get(code)}`, `Organisationen finns redan på rad ${seen.get(code)}.`));
    else if (!existing.has(org.id) && year.rule !== 'decision')
      rowErrors.push(bad(line, 'org', `${code} has no allocation in this year`, `${code} har ingen fördelning det här året.`));
    else if (org.kind !== year.recipient_kind) rowErrors.push(bad(line, 'org', `${code} is not a ${year.recipient_kind}`, `${code} är inte en mottagare av det här slaget.`));
    if (code) seen.set(code, seen.get(code) ?? line);
    const patch: Patch = {};
    for (const c of LEDGER_IMPORT_AMOUNTS) {
      const text = (cells[c] ?? '').replace(/[\s\u00a0]/g, '');
      if (!text) continue;
      if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) patch[c] = Number(text);
      else rowErrors.push(bad(line, c, `${c} must be a whole number of kronor ≥ 0, got "${cells[c]}"`, `Måste vara ett helt antal kronor, 0 eller mer (inte "${cells[c]}").`));
    }
    for (const c of LEDGER_IMPORT_DATES) {
      const text = (cells[c] ?? '').trim();
      if (!text) continue;
      const iso = parseDate(text);
      if (iso) patch[c] = iso;
      else rowErrors.push(bad(line, c, `${c} must be a date YYYY-MM-DD, got "${text}"`, `Ange datum som ÅÅÅÅ-MM-DD (inte "${text}").`));
    }
    if (cells.reclaim_reason?.trim()) patch.reclaim_reason = cells.reclaim_reason.trim();
    const before = org ? existing.get(org.id) : undefined;
    if (rowErrors.length === 0 && org) {
      const amountOf = (c: Amount) => patch[c] ?? (before ? (before[c] == null ? null : Number(before[c])) : null);
      const problem = checkLedgerRow({
        allocated_sek: amountOf('allocated_sek') ?? 0,
        requested_sek: amountOf('requested_sek'),
        paid_sek: amountOf('paid_sek'),
        used_sek: amountOf('used_sek'),
        repaid_sek: amountOf('repaid_sek') ?? 0,
        reclaimed_sek: amountOf('reclaimed_sek') ?? 0,
      });
      if (problem) rowErrors.push(bad(line, problem.field ?? '', problem.message, problem.sv));
      else if (!before && patch.allocated_sek === undefined) rowErrors.push(bad(line, 'allocated_sek', 'a new recipient needs allocated_sek', 'En ny mottagare behöver ett fördelat belopp (allocated_sek).'));
      else if (!before && patch.allocated_sek === 0) rowErrors.push(bad(line, 'allocated_sek', 'allocated_sek must be more than 0', 'Fördelat belopp måste vara mer än 0.'));
      if (patch.reclaimed_sek && !(patch.reclaim_reason ?? before?.reclaim_reason)) rowErrors.push(bad(line, 'reclaim_reason', 'a reclaim needs reclaim_reason', 'Ett återkrav behöver ett skäl (reclaim_reason).'));
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else planned.push({ line, organisationId: org!.id, before, patch });
  }
  if (errors.length) throw new ImportRowsError(errors, `${new Set(errors.map((e) => e.line)).size} bad row(s); nothing was imported`);
  if (planned.length === 0) throw new ImportRowsError([bad(1, '', 'the file has no data rows', 'Filen har inga rader med data.')]);
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const reason = `Import från ${options.source ?? 'fil'}`;
    const ids: number[] = [];
    let created = 0;
    for (const p of planned) {
      const patch: Record<string, unknown> = { ...p.patch };
      if (p.patch.requested_sek != null && !p.patch.requested_at && !p.before?.requested_at) patch.requested_at = now;
      if (patch.requested_at) patch.declined_at = null;
      let id: number;
      let beforeOf: Record<string, unknown> | undefined;
      let after: Record<string, unknown> = patch;
      if (!p.before) {
        const row = await trx
          .insertInto('grant_ledger')
          .values({ grant_year_id: yearId, organisation_id: p.organisationId, status: 'ej_rekvirerat', ...patch, allocated_sek: p.patch.allocated_sek!, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
        created += 1;
      } else {
        const before = p.before as unknown as Record<string, unknown>;
        after = Object.fromEntries(Object.entries(patch).filter(([k, v]) => String(before[k] ?? '') !== String(v ?? '')));
        if (Object.keys(after).length === 0) continue;
        id = p.before.id;
        await trx.updateTable('grant_ledger').set({ ...after, updated_at: now }).where('id', '=', id).execute();
        beforeOf = Object.fromEntries(Object.keys(after).map((k) => [k, before[k]]));
      }
      await audit(trx, { actorUserId: options.actorUserId, action: 'grant.ledger.import', entity: 'grant_ledger', entityId: id, before: beforeOf, after, reason });
      ids.push(id);
    }
    await refreshLedgerRows(trx, ids);
    await audit(trx, { actorUserId: options.actorUserId, action: 'grant.ledger.import_file', entity: 'grant_year', entityId: yearId, after: { rows: planned.length, changed: ids.length, created, source: options.source ?? null }, reason });
    return { imported: planned.length, created };
  });
}
