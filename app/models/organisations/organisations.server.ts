import type { Kysely } from 'kysely';
import type { Database, Organisation, OrganisationKind } from '../../../db/schema';

export interface OrganisationFilter {
  kind?: OrganisationKind;
  lan?: string;
  kommungrupp2017?: string;
  kommungrupp2023?: string;
  /** Matches the name (case-insensitive, anywhere) or the start of the code. */
  q?: string;
  includeInactive?: boolean;
}

export interface OrganisationRow extends Organisation {
  lan_name: string | null;
}

/**
 * Lists organisations, ordered by kind then code.
 * @example listOrganisations(db, { kind: 'kommun', lan: '01' })
 */
export async function listOrganisations(db: Kysely<Database>, filter: OrganisationFilter = {}): Promise<OrganisationRow[]> {
  let query = db
    .selectFrom('organisations as o')
    .leftJoin('lan as l', 'l.code', 'o.lan_code')
    .selectAll('o')
    .select('l.name as lan_name');
  if (!filter.includeInactive) query = query.where('o.active', '=', 1);
  if (filter.kind) query = query.where('o.kind', '=', filter.kind);
  if (filter.lan) query = query.where('o.lan_code', '=', filter.lan);
  if (filter.kommungrupp2017) query = query.where('o.kommungrupp2017_code', '=', filter.kommungrupp2017);
  if (filter.kommungrupp2023) query = query.where('o.kommungrupp2023_code', '=', filter.kommungrupp2023);
  const rows = await query.orderBy('o.kind').orderBy('o.code').execute();
  // Name search is done here rather than in SQL: SQLite's lower() only folds ASCII, and
  // "öster" must find "Östersund". The registry is a few thousand rows at most.
  const q = filter.q?.trim().toLocaleLowerCase('sv');
  if (!q) return rows;
  return rows.filter((r) => r.code.toLocaleLowerCase('sv').startsWith(q) || r.name.toLocaleLowerCase('sv').includes(q));
}

export async function getOrganisationByCode(db: Kysely<Database>, code: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listLan(db: Kysely<Database>) {
  return db.selectFrom('lan').selectAll().orderBy('code').execute();
}

/** The kommungrupp codes and names in use, for filters: [{ code, name, count }]. */
export async function listKommungrupper(db: Kysely<Database>, year: 2017 | 2023) {
  const code = year === 2017 ? 'kommungrupp2017_code' : 'kommungrupp2023_code';
  const name = year === 2017 ? 'kommungrupp2017_name' : 'kommungrupp2023_name';
  const rows = await db
    .selectFrom('organisations')
    .select([`${code} as code`, `${name} as name`])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(code, 'is not', null)
    .where('active', '=', 1)
    .groupBy([code, name])
    .orderBy(code)
    .execute();
  return rows as { code: string; name: string; count: number }[];
}

export async function countOrganisationsByKind(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('organisations')
    .select(['kind'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('active', '=', 1)
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.count)]));
}
