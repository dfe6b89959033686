/**
 * Constants of the comparison builder that its page (/jamfor/ny) renders in the browser too. A
 * `.server` module is empty in the browser build, so these must not live in builder.server.ts.
 */
export const GRANT_MEASURE = '__medel__';
export const MONEY_MEASURE = '__belopp__';
export const BUILDER_POPULATIONS = ['kommun', 'region', 'lansstyrelse', 'organisation', 'respondents'] as const;
export const POPULATION_LABELS: Record<(typeof BUILDER_POPULATIONS)[number], string> = {
  kommun: 'Kommuner',
  region: 'Regioner',
  lansstyrelse: 'Länsstyrelser',
  organisation: 'Organisationer',
  respondents: 'Personer (svarande i en personenkät)',
};
