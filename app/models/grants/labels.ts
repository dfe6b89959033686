import type { AllocationRule, RecipientKind } from '../../../db/schema';

/** Swedish names for the grant pages (pure: the pages' bundles may import this). */
export const RULE_LABELS: Record<AllocationRule, string> = {
  population_floor: 'Efter folkmängd med lägsta belopp',
  equal: 'Lika stora andelar',
  decision: 'Belopp per beslut',
};

export const RECIPIENT_LABELS: Record<RecipientKind, string> = {
  kommun: 'Kommuner',
  region: 'Regioner',
  organisation: 'Ideella organisationer',
};
