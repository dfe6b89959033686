import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Demo for the administrator's pages: contacts for most kommuner in Västerbotten and
 * Norrbotten (the demo round's), so invitations, reminders and the missing list have names and
 * addresses. A few kommuner are left without contacts on purpose: the status view flags them.
 */
export async function adminDemo(db: Kysely<Database>): Promise<string> {
  if (await db.selectFrom('contacts').select('id').executeTakeFirst()) return 'contacts exist';
  const kommuner = await db.selectFrom('organisations').select(['id', 'code', 'name']).where('kind', '=', 'kommun').where('lan_code', 'in', ['24', '25']).orderBy('code').execute();
  const now = new Date().toISOString();
  const slug = (name: string) => name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z]+/g, '');
  const rows = kommuner
    .filter((_, i) => i % 5 !== 4)
    .flatMap((k, i) => [
      { organisation_id: k.id, name: `Socialchef ${k.name}`, email: `socialchef@${slug(k.name)}.example.se`, role: 'socialchef', created_at: now, updated_at: now },
      ...(i % 2 === 0 ? [{ organisation_id: k.id, name: `Kvinnofridssamordnare ${k.name}`, email: `kvinnofrid@${slug(k.name)}.example.se`, role: 'kvinnofridssamordnare', created_at: now, updated_at: now }] : []),
    ]);
  if (rows.length) await db.insertInto('contacts').values(rows).execute();
  return `${rows.length} demo contacts for ${new Set(rows.map((r) => r.organisation_id)).size} kommuner in Västerbotten and Norrbotten (see /admin/kontakter)`;
}
