import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { cloneVersion } from '../../app/models/publishing/publishing.server';
import { getVersionRow } from '../../app/models/surveys/versions.server';

const DRAFT_ID = 'oj-vinr-2020';

/**
 * Demo for /admin/enkater: a draft of ÖJ 2020 copied from the 2019 version, ready to edit,
 * compare with 2019 and publish.
 */
export async function surveysDemo(db: Kysely<Database>): Promise<string> {
  if (await getVersionRow(db, DRAFT_ID)) return `survey draft ${DRAFT_ID} exists (see /admin/enkater)`;
  const result = await cloneVersion(db, { id: null }, 'oj-vinr-2019', 2020);
  if (!result.ok) return `survey draft not created: ${JSON.stringify(result)}`;
  return `survey draft ${result.id} copied from oj-vinr-2019 (see /admin/enkater/${result.id})`;
}
