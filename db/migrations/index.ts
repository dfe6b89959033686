import type { Migration, MigrationProvider } from 'kysely';
import * as m20261122_01 from './2026-11-22-01-organisations';
import * as m20261122_02 from './2026-11-22-02-rounds';
import * as m20261122_03 from './2026-11-22-03-auth';
import * as m20261122_04 from './2026-11-22-04-analysis';
import * as m20261122_05 from './2026-11-22-05-contacts';
import * as m20261122_06 from './2026-11-22-06-api-tokens';
import * as m20261122_07 from './2026-11-22-07-joint';
import * as m20261122_08 from './2026-11-22-08-answer-values-value-idx';
import * as m20261122_09 from './2026-11-22-09-answer-values-double';
import * as m20261122_10 from './2026-11-22-10-answer-values-org-survey-idx';
import * as m20261203_11 from './2026-12-03-11-survey-versions';
import * as m20261203_12 from './2026-12-03-12-grant-year';
import * as m20261203_13 from './2026-12-03-13-mail-unsubscribe';
import * as m20261203_16 from './2026-12-03-16-grant-request-reminder';

/**
 * The static index of migrations, in order. Add new ones at the end; never edit a landed one.
 * A static list (rather than reading the folder) keeps them inside the server bundle.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22-01-organisations': m20261122_01,
  '2026-11-22-02-rounds': m20261122_02,
  '2026-11-22-03-auth': m20261122_03,
  '2026-11-22-04-analysis': m20261122_04,
  '2026-11-22-05-contacts': m20261122_05,
  '2026-11-22-06-api-tokens': m20261122_06,
  '2026-11-22-07-joint': m20261122_07,
  '2026-11-22-08-answer-values-value-idx': m20261122_08,
  '2026-11-22-09-answer-values-double': m20261122_09,
  '2026-11-22-10-answer-values-org-survey-idx': m20261122_10,
  '2026-12-03-11-survey-versions': m20261203_11,
  '2026-12-03-12-grant-year': m20261203_12,
  '2026-12-03-13-mail-unsubscribe': m20261203_13,
  '2026-12-03-16-grant-request-reminder': m20261203_16,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
