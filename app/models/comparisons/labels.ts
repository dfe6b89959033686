// Swedish texts of the figure pages, shared by the browser and the exports. Kept apart from
// definition.ts so that zod stays out of the browser bundle.

/** The caveat every figure carries (source 003 L300–302: not a statistical association). */
export const NOTE_SV = 'Jämförelsen är beskrivande och visar inte orsakssamband. Testet är bara en vägledning.';

/** Swedish names of the tests, for figure pages. */
export const TEST_LABELS_SV: Record<string, string> = { 'chi-square': 'Chi-två-test', 'fisher-exact': 'Fishers exakta test' };
