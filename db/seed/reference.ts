import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, NewOrganisation } from '../schema';

const referenceDir = new URL('../reference/', import.meta.url);

const kommunRow = z.object({
  kommunkod: z.string().regex(/^\d{4}$/),
  kommun: z.string().min(1),
  lanskod: z.string().regex(/^\d{2}$/),
  kommungrupp_2017_kod: z.string().regex(/^[ABC]\d$/),
  kommungrupp_2017: z.string().min(1),
  kommungrupp_2023_kod: z.string().regex(/^[ABC]\d$/),
  kommungrupp_2023: z.string().min(1),
  folkmangd: z.coerce.number().int().positive(),
  folkmangd_ar: z.coerce.number().int(),
});

const lanRow = z.object({
  lanskod: z.string().regex(/^\d{2}$/),
  lan: z.string().min(1),
  lansstyrelse: z.string().min(1),
  region: z.string().min(1),
});

function readCsv<T>(file: string, schema: z.ZodType<T>): T[] {
  const text = fs.readFileSync(new URL(file, referenceDir), 'utf8');
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as unknown[];
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`db/reference/${file} line ${i + 2}: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Organisation codes of regions follow Kolada ("00" + länskod); länsstyrelser get "LST" + länskod. */
export const regionCode = (lanskod: string) => `00${lanskod}`;
export const lansstyrelseCode = (lanskod: string) => `LST${lanskod}`;

/**
 * Loads the 21 län, 290 kommuner, 21 regioner and 21 länsstyrelser. Idempotent: rows are
 * upserted on their code, so running it again changes nothing but `updated_at` of changed rows.
 */
export async function loadReferenceData(db: Kysely<Database>): Promise<{ lan: number; organisations: number }> {
  const lan = readCsv('lan.csv', lanRow);
  const kommuner = readCsv('kommuner.csv', kommunRow);
  const now = new Date().toISOString();

  const organisations: NewOrganisation[] = [
    ...kommuner.map((k) => ({
      kind: 'kommun' as const,
      code: k.kommunkod,
      name: k.kommun,
      lan_code: k.lanskod,
      kommungrupp2017_code: k.kommungrupp_2017_kod,
      kommungrupp2017_name: k.kommungrupp_2017,
      kommungrupp2023_code: k.kommungrupp_2023_kod,
      kommungrupp2023_name: k.kommungrupp_2023,
      population: k.folkmangd,
      population_year: k.folkmangd_ar,
      parent_id: null,
      created_at: now,
      updated_at: now,
    })),
    ...lan.map((l) => ({ kind: 'region' as const, code: regionCode(l.lanskod), name: l.region, lan_code: l.lanskod, created_at: now, updated_at: now })),
    ...lan.map((l) => ({ kind: 'lansstyrelse' as const, code: lansstyrelseCode(l.lanskod), name: l.lansstyrelse, lan_code: l.lanskod, created_at: now, updated_at: now })),
  ];

  await db.transaction().execute(async (trx) => {
    for (const l of lan) {
      await trx
        .insertInto('lan')
        .values({ code: l.lanskod, name: l.lan, lansstyrelse: l.lansstyrelse, region: l.region })
        .onConflict((oc) => oc.column('code').doUpdateSet({ name: l.lan, lansstyrelse: l.lansstyrelse, region: l.region }))
        .execute();
    }
    for (const org of organisations) {
      const { created_at: _created, ...update } = org;
      await trx
        .insertInto('organisations')
        .values(org)
        .onConflict((oc) => oc.column('code').doUpdateSet(update))
        .execute();
    }
  });
  return { lan: lan.length, organisations: organisations.length };
}
