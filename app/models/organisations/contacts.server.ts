import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Contact, Database } from '../../../db/schema';
import type { Tabular } from '~/utils/tabular.server';
import { audit } from '../auth/audit.server';

export type ContactProblemCode =
  | 'missing_org'
  | 'unknown_org'
  | 'ambiguous_org'
  | 'missing_name'
  | 'missing_email'
  | 'bad_email'
  | 'duplicate_row';

/** Problem texts: Swedish for the admin page, English for the CLI. */
export const CONTACT_PROBLEMS: Record<ContactProblemCode, { sv: string; en: string }> = {
  missing_org: { sv: 'Organisation saknas (kolumnen org).', en: 'The org column is empty.' },
  unknown_org: { sv: 'Okänd organisation: koden eller namnet finns inte i registret.', en: 'Unknown organisation: no such code or name in the registry.' },
  ambiguous_org: { sv: 'Namnet passar flera organisationer; ange koden i stället.', en: 'The name matches several organisations; give the code instead.' },
  missing_name: { sv: 'Namn saknas.', en: 'The name column is empty.' },
  missing_email: { sv: 'E-postadress saknas.', en: 'The email column is empty.' },
  bad_email: { sv: 'E-postadressen är inte giltig.', en: 'The email address is not valid.' },
  duplicate_row: { sv: 'Samma organisation och e-postadress finns redan på en tidigare rad; den här raden hoppades över.', en: 'Same organisation and email as an earlier line; this line was skipped.' },
};

export interface ContactProblem {
  line: number;
  code: ContactProblemCode;
  /** The value that caused it, shown next to the message. */
  value?: string;
}

export interface ContactImportResult {
  created: number;
  updated: number;
  problems: ContactProblem[];
}

/** Column names we accept for each field (lower-cased, trimmed). */
const COLUMN_ALIASES: Record<'org' | 'name' | 'email' | 'role', string[]> = {
  org: ['org', 'organisation', 'organization', 'kod', 'code', 'kommunkod'],
  name: ['name', 'namn'],
  email: ['email', 'e-mail', 'e-post', 'epost', 'mail'],
  role: ['role', 'roll', 'befattning'],
};

/**
 * Which header column holds each field, or the required fields that are missing.
 * @example mapContactColumns(['Org', 'Namn', 'E-post']) // { columns: { org: 'Org', … }, missing: [] }
 */
export function mapContactColumns(header: string[]) {
  const columns: Partial<Record<keyof typeof COLUMN_ALIASES, string>> = {};
  for (const field of Object.keys(COLUMN_ALIASES) as (keyof typeof COLUMN_ALIASES)[]) {
    columns[field] = header.find((h) => COLUMN_ALIASES[field].includes(h.trim().toLowerCase()));
  }
  const missing = (['org', 'name', 'email'] as const).filter((f) => !columns[f]);
  return { columns, missing };
}

const emailSchema = z.email();

/**
 * Imports contacts from table rows (columns org, name, email, optional role). Good rows are
 * upserted on (organisation, email); bad rows are reported per line and skipped. One audit entry
 * records the import. `org` is an organisation code, or an exact name when only one matches.
 */
export async function importContacts(
  db: Kysely<Database>,
  table: Tabular,
  options: { actorUserId: number | null; source?: string },
): Promise<ContactImportResult> {
  const { columns, missing } = mapContactColumns(table.headers);
  if (missing.length) throw new ContactColumnsError(missing);

  const orgs = await db.selectFrom('organisations').select(['id', 'code', 'name']).execute();
  const byCode = new Map(orgs.map((o) => [o.code, o.id]));
  const byName = new Map<string, number[]>();
  for (const o of orgs) {
    const key = o.name.toLocaleLowerCase('sv');
    byName.set(key, [...(byName.get(key) ?? []), o.id]);
  }

  const problems: ContactProblem[] = [];
  const good = new Map<string, { organisation_id: number; name: string; email: string; role: string | null }>();
  for (const row of table.rows) {
    const get = (field: keyof typeof COLUMN_ALIASES) => (columns[field] ? (row.cells[columns[field]!] ?? '').trim() : '');
    const org = get('org');
    const name = get('name');
    const email = get('email').toLowerCase();
    const problem = (code: ContactProblemCode, value?: string) => problems.push({ line: row.line, code, value });
    if (!org) { problem('missing_org'); continue; }
    let organisationId = byCode.get(org) ?? byCode.get(org.padStart(4, '0'));
    if (organisationId === undefined) {
      const named = byName.get(org.toLocaleLowerCase('sv')) ?? [];
      if (named.length > 1) { problem('ambiguous_org', org); continue; }
      organisationId = named[0];
    }
    if (organisationId === undefined) { problem('unknown_org', org); continue; }
    if (!name) { problem('missing_name'); continue; }
    if (!email) { problem('missing_email'); continue; }
    if (!emailSchema.safeParse(email).success) { problem('bad_email', email); continue; }
    const key = `${organisationId}\0${email}`;
    if (good.has(key)) { problem('duplicate_row', email); continue; }
    good.set(key, { organisation_id: organisationId, name, email, role: get('role') || null });
  }

  const rows = [...good.values()];
  const orgIds = [...new Set(rows.map((r) => r.organisation_id))];
  let created = 0;
  let updated = 0;
  await db.transaction().execute(async (trx) => {
    const existing = new Set<string>();
    for (const chunk of chunks(orgIds, 500)) {
      const found = await trx.selectFrom('contacts').select(['organisation_id', 'email']).where('organisation_id', 'in', chunk).execute();
      for (const c of found) existing.add(`${c.organisation_id}\0${c.email}`);
    }
    const now = new Date().toISOString();
    for (const chunk of chunks(rows, 200)) {
      await trx
        .insertInto('contacts')
        .values(chunk.map((r) => ({ ...r, created_at: now, updated_at: now })))
        .onConflict((oc) =>
          oc.columns(['organisation_id', 'email']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            role: eb.ref('excluded.role'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    for (const r of rows) {
      if (existing.has(`${r.organisation_id}\0${r.email}`)) updated++;
      else created++;
    }
    await audit(trx, {
      actorUserId: options.actorUserId,
      action: 'contacts.import',
      entity: 'contacts',
      entityId: null,
      after: { created, updated, skipped: problems.length, source: options.source ?? null },
    });
  });
  return { created, updated, problems };
}

/** The file lacks required columns; nothing was imported. */
export class ContactColumnsError extends Error {
  constructor(readonly missing: string[]) {
    super(`Missing column(s): ${missing.join(', ')}. Expected org, name, email and optionally role.`);
  }
}

/** Contacts of the given organisations, grouped by organisation id, ordered by name. */
export async function contactsByOrganisation(db: Kysely<Database>, organisationIds: number[]): Promise<Map<number, Contact[]>> {
  const map = new Map<number, Contact[]>();
  for (const chunk of chunks([...new Set(organisationIds)], 500)) {
    const rows = await db.selectFrom('contacts').selectAll().where('organisation_id', 'in', chunk).orderBy('name').execute();
    for (const c of rows) map.set(c.organisation_id, [...(map.get(c.organisation_id) ?? []), c]);
  }
  return map;
}

/** How many contacts there are, and at how many organisations. */
export async function countContacts(db: Kysely<Database>) {
  const row = await db
    .selectFrom('contacts')
    .select((eb) => [eb.fn.countAll<number>().as('contacts'), eb.fn.count<number>('organisation_id').distinct().as('organisations')])
    .executeTakeFirstOrThrow();
  return { contacts: Number(row.contacts), organisations: Number(row.organisations) };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
