import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { ensureResponse, loadRespondentContext, saveDraft } from '../../app/models/responses/responses.server';
import { submitResponse } from '../../app/models/responses/submit.server';
import { createRound, linkForToken } from '../../app/models/rounds/rounds.server';

const TITLE = 'Öppna jämförelser – våld i nära relationer 2019 (demo)';
const YES_NO = ['ja', 'nej'] as const;
const KEYS = ['fortbildning_vuxna', 'fortbildning_barn', 'plan_kompetensutveckling', 'overenskommelse_primarvard', 'overenskommelse_kvinnojour', 'overenskommelse_polis', 'rutin_skyddade_uppgifter', 'kartlaggning_vald', 'freda_kortfragor'];

/** A complete, varied ÖJ 2019 answer set for the i-th kommun. */
function answers(i: number): Record<string, unknown> {
  const data: Record<string, unknown> = Object.fromEntries(KEYS.map((k, j) => [k, YES_NO[(i * 7 + j * 3) % 5 === 0 ? 1 : 0]]));
  data.systematisk_uppfoljning = ['ja', 'delvis', 'nej'][i % 3];
  return data;
}

/**
 * Demo for the respondent pages: an open ÖJ 2019 round for the kommuner in Västerbotten and
 * Norrbotten, with some drafts and submitted responses, and three links to try the form.
 */
export async function respondentDemo(db: Kysely<Database>): Promise<string> {
  if (await db.selectFrom('rounds').select('id').where('title', '=', TITLE).executeTakeFirst()) return 'ÖJ 2019 demo round already there';
  const kommuner = await db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'kommun').where('lan_code', 'in', ['24', '25']).orderBy('code').execute();
  if (kommuner.length === 0) return 'no kommuner loaded, skipped the ÖJ 2019 demo round';
  const day = 86_400_000;
  const { assignments } = await createRound(db, {
    surveyId: 'oj-vinr-2019',
    title: TITLE,
    opensAt: new Date(Date.now() - 10 * day).toISOString(),
    closesAt: new Date(Date.now() + 21 * day).toISOString(),
    contactText: 'Frågor om enkäten: Socialstyrelsen, oj-vinr@socialstyrelsen.example, 075-247 30 00.',
    organisationIds: kommuner.map((k) => k.id),
  });
  let drafts = 0;
  let submitted = 0;
  for (const [i, a] of assignments.entries()) {
    if (i % 3 === 2) continue;
    const ctx = (await loadRespondentContext(db, a.token))!;
    const response = await ensureResponse(db, ctx);
    if (i % 3 === 0 && i < 12) {
      const result = await submitResponse(db, { ...ctx, response }, { baseVersion: 0, data: answers(i), submittedBy: 'Demo Demosson' });
      if (result.ok) submitted++;
    } else if (i < 12) {
      const partial = Object.fromEntries(Object.entries(answers(i)).slice(0, 4));
      if ((await saveDraft(db, { responseId: response.id, surveyId: 'oj-vinr-2019', baseVersion: 0, data: partial, savedBy: 'Demo Demosson' })).ok) drafts++;
    }
  }
  const name = (id: number | null) => kommuner.find((k) => k.id === id)?.name ?? '?';
  const pick = [assignments[2], assignments[1], assignments[0]].filter(Boolean);
  const links = pick.map((a, i) => `${name(a.organisationId)} (${['inte påbörjad', 'utkast', 'inskickad'][i]}): ${linkForToken(a.token)}`);
  return `ÖJ 2019 round for ${assignments.length} kommuner in Västerbotten and Norrbotten (${drafts} drafts, ${submitted} submitted). Try the form:\n  ${links.join('\n  ')}`;
}
