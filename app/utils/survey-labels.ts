import type { OrganisationKind } from '../../db/schema';
import { KIND_LABELS } from './organisation-kinds';

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** "05-31" → "31 maj". */
export function formatDeadline(monthDay: string): string {
  const [m, d] = monthDay.split('-').map(Number);
  return MONTHS[m - 1] ? `${d} ${MONTHS[m - 1]}` : monthDay;
}

/** Who answers a survey, in Swedish: "Kommuner och stadsdelar", "Namngivna personer". */
export function audienceLabel(audience: OrganisationKind[] | 'person'): string {
  if (audience === 'person') return 'Namngivna personer';
  const names = audience.map((k, i) => (i === 0 ? KIND_LABELS[k].many : KIND_LABELS[k].many.toLowerCase()));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} och ${names.at(-1)}` : (names[0] ?? '');
}

/** A family's name: the latest version's title without its year. */
export function familyName(meta: { title: string; year: number }): string {
  return meta.title
    .replace(new RegExp(`\\s*${meta.year} års\\s*`), ' ')
    .replace(new RegExp(`\\s+${meta.year}$`), '')
    .trim();
}

export const KIND_NAMES: Record<string, string> = {
  single: 'Ett val',
  multiple: 'Flerval',
  numeric: 'Tal',
  text: 'Fritext',
  boolean: 'Ja/nej',
  matrix: 'Matris',
  computed: 'Beräknas',
  other: 'Övrigt',
};
