/** Population classes of source 003 Tabell 9, in thousands; the lower bound is inclusive. */
export const SIZE_CLASSES = [
  { key: '0-15', label: '0–15 tusen', min: 0 },
  { key: '15-30', label: '15–30 tusen', min: 15_000 },
  { key: '30-70', label: '30–70 tusen', min: 30_000 },
  { key: '70-200', label: '70–200 tusen', min: 70_000 },
  { key: '200+', label: '200 tusen eller fler', min: 200_000 },
] as const;

export type SizeClass = (typeof SIZE_CLASSES)[number]['key'];

/**
 * The population class of an organisation, or null when the population is unknown.
 * @example sizeClass(14_999) // '0-15'; sizeClass(15_000) // '15-30'
 */
export function sizeClass(population: number | null | undefined): SizeClass | null {
  if (population === null || population === undefined || !Number.isFinite(population) || population < 0) return null;
  let found: SizeClass = '0-15';
  for (const c of SIZE_CLASSES) if (population >= c.min) found = c.key;
  return found;
}

/** SQL-free label lookup for a class key. */
export function sizeClassLabel(key: string): string {
  return SIZE_CLASSES.find((c) => c.key === key)?.label ?? key;
}
