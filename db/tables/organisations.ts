import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export const ORGANISATION_KINDS = [
  'kommun',
  'region',
  'lansstyrelse',
  'stadsdel',
  'organisation',
  'myndighet',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface LanTable {
  code: string;
  name: string;
  lansstyrelse: string;
  region: string;
}

export interface OrganisationTable {
  id: Generated<number>;
  kind: OrganisationKind;
  code: string;
  name: string;
  lan_code: string | null;
  kommungrupp2017_code: string | null;
  kommungrupp2017_name: string | null;
  kommungrupp2023_code: string | null;
  kommungrupp2023_name: string | null;
  population: number | null;
  population_year: number | null;
  parent_id: number | null;
  active: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export type Lan = Selectable<LanTable>;
export type Organisation = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type OrganisationUpdate = Updateable<OrganisationTable>;
