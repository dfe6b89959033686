import type { OrganisationKind } from '../../db/schema';

/** Swedish labels for organisation kinds, singular and plural. */
export const KIND_LABELS: Record<OrganisationKind, { one: string; many: string }> = {
  kommun: { one: 'Kommun', many: 'Kommuner' },
  region: { one: 'Region', many: 'Regioner' },
  lansstyrelse: { one: 'Länsstyrelse', many: 'Länsstyrelser' },
  stadsdel: { one: 'Stadsdel', many: 'Stadsdelar' },
  organisation: { one: 'Ideell organisation', many: 'Ideella organisationer' },
  myndighet: { one: 'Myndighet', many: 'Myndigheter' },
};
