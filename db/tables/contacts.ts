import type { Generated, Insertable, Selectable } from 'kysely';

/** A named person at an organisation, to invite and to phone when a response is missing. */
export interface ContactTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  /** Lower-cased; unique per organisation. */
  email: string;
  /** Role in the organisation, e.g. "socialchef" or "kvinnofridssamordnare". */
  role: string | null;
  created_at: string;
  updated_at: string;
}

export type Contact = Selectable<ContactTable>;
export type NewContact = Insertable<ContactTable>;
