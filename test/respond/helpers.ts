import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { createRound } from '~/models/rounds/rounds.server';

export const fixtures = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/valid-answers.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** Organisation ids by kommun code, e.g. orgIds(db, ['0180', '2584']). */
export async function orgIds(db: Kysely<Database>, codes: string[]): Promise<number[]> {
  const rows = await db.selectFrom('organisations').select(['id', 'code']).where('code', 'in', codes).execute();
  return codes.map((c) => rows.find((r) => r.code === c)!.id);
}

/** A round open now (opened yesterday, closes in 30 days) for the given kommun codes. */
export async function openRound(db: Kysely<Database>, surveyId: string, codes: string[], extra: { opensAt?: string; closesAt?: string; contactText?: string } = {}) {
  const day = 86_400_000;
  return createRound(db, {
    surveyId,
    title: `Runda ${surveyId}`,
    opensAt: extra.opensAt ?? new Date(Date.now() - day).toISOString(),
    closesAt: extra.closesAt ?? new Date(Date.now() + 30 * day).toISOString(),
    contactText: extra.contactText,
    organisationIds: await orgIds(db, codes),
  });
}
