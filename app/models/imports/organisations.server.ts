import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema';
import type { Tabular } from '../../utils/tabular.server';
import { ImportRowsError, type RowError } from './errors.server';

/** Kinds an import may create; kommuner, regioner and länsstyrelser come from reference data. */
export const IMPORTABLE_KINDS = ['organisation', 'myndighet', 'stadsdel'] as const;

const rowSchema = z.object({
  kind: z.enum(IMPORTABLE_KINDS, { error: () => `kind must be one of ${IMPORTABLE_KINDS.join(', ')}` }),
  code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'code must be 1–40 letters, digits, ".", "_" or "-"'),
  name: z.string().min(1, 'name is empty').max(200, 'name is longer than 200 characters'),
  lan: z.union([z.literal(''), z.string().regex(/^\d{2}$/, 'lan must be a two-digit län code, e.g. 01')]),
  parent: z.string(),
});

const REQUIRED_COLUMNS = ['kind', 'code', 'name'];

/**
 * Imports ideella organisationer, myndigheter and stadsdelar: columns kind, code, name, optional
 * lan and parent (the parent's code; a stadsdel's parent must be a kommun). All rows or none:
 * every bad row is reported with its line. Importing a code again updates that organisation.
 */
export async function importOrganisations(db: Kysely<Database>, table: Tabular): Promise<{ created: number; updated: number }> {
  const missing = REQUIRED_COLUMNS.filter((c) => !table.headers.includes(c));
  if (missing.length) throw new ImportRowsError([{ line: 1, message: `missing column(s): ${missing.join(', ')}` }]);
  if (table.rows.length === 0) throw new ImportRowsError([{ line: 1, message: 'the file has no data rows' }]);

  const lanCodes = new Set((await db.selectFrom('lan').select('code').execute()).map((l) => l.code));
  const existing = new Map((await db.selectFrom('organisations').select(['id', 'code', 'kind', 'lan_code']).execute()).map((o) => [o.code, o]));
  const inFile = new Map<string, number>();
  const errors: RowError[] = [];
  const valid: (z.infer<typeof rowSchema> & { line: number })[] = [];

  for (const { line, cells } of table.rows) {
    const parsed = rowSchema.safeParse({ kind: cells.kind ?? '', code: cells.code ?? '', name: cells.name ?? '', lan: cells.lan ?? '', parent: cells.parent ?? '' });
    if (!parsed.success) {
      errors.push({ line, message: parsed.error.issues.map((i) => i.message).join('; ') });
      continue;
    }
    const row = parsed.data;
    const problems: string[] = [];
    if (inFile.has(row.code)) problems.push(`code ${row.code} also on line ${inFile.get(row.code)}`);
    inFile.set(row.code, line);
    const current = existing.get(row.code);
    if (current && !(IMPORTABLE_KINDS as readonly string[]).includes(current.kind)) problems.push(`code ${row.code} belongs to a ${current.kind} from the reference data`);
    if (row.lan && !lanCodes.has(row.lan)) problems.push(`unknown län ${row.lan}`);
    if (row.parent) {
      const parent = existing.get(row.parent);
      if (!parent) problems.push(`unknown parent ${row.parent}`);
      else if (row.kind === 'stadsdel' && parent.kind !== 'kommun') problems.push(`a stadsdel's parent must be a kommun, ${row.parent} is a ${parent.kind}`);
    } else if (row.kind === 'stadsdel') problems.push('a stadsdel needs its kommun as parent');
    if (problems.length) errors.push({ line, message: problems.join('; ') });
    else valid.push({ ...row, line });
  }
  if (errors.length) throw new ImportRowsError(errors);

  const now = new Date().toISOString();
  let created = 0;
  await db.transaction().execute(async (trx) => {
    for (const row of valid) {
      const parent = row.parent ? existing.get(row.parent) : undefined;
      const values = {
        kind: row.kind,
        code: row.code,
        name: row.name,
        // A stadsdel without a län of its own lies in its kommun's län.
        lan_code: row.lan || parent?.lan_code || null,
        parent_id: parent?.id ?? null,
        active: 1,
        updated_at: now,
      };
      if (!existing.has(row.code)) created++;
      await trx
        .insertInto('organisations')
        .values({ ...values, created_at: now })
        .onConflict((oc) => oc.column('code').doUpdateSet(values))
        .execute();
    }
  });
  return { created, updated: valid.length - created };
}
