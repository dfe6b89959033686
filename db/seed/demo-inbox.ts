import type { Kysely } from 'kysely';
import { audit } from '../../app/models/auth/audit.server';
import { createRound, extendAssignment } from '../../app/models/rounds/rounds.server';
import { createUser, findUserByEmail } from '../../app/models/auth/users.server';
import type { Database } from '../schema';

export const DEMO_RESPONDENT = { email: 'kommun@demo.enkatnav.se', name: 'Demo Kvinnofridssamordnare' };
const DAY = 86_400_000;

/**
 * Demo for /min-organisation: a respondent user bound to the first kommun of the ÖJ 2019 demo
 * round, which also gets a past ÖJ 2018 round and an open follow-up report with an extension,
 * so the inbox shows three rounds. Skips itself when the user exists.
 */
export async function inboxDemo(db: Kysely<Database>): Promise<string> {
  if (await findUserByEmail(db, DEMO_RESPONDENT.email)) return `demo respondent exists: sign in as ${DEMO_RESPONDENT.email} and open /min-organisation`;
  // The first kommun (by code) of the respondent demo round in Västerbotten and Norrbotten.
  const org = await db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .innerJoin('rounds as r', 'r.id', 'a.round_id')
    .select(['o.id', 'o.name'])
    .where('r.survey_id', '=', 'oj-vinr-2019')
    .where('o.lan_code', 'in', ['24', '25'])
    .orderBy('o.code')
    .executeTakeFirst();
  if (!org) return 'no ÖJ 2019 demo round found, skipped the inbox demo';
  const now = Date.now();
  const lastYear = new Date(now).getUTCFullYear() - 1;
  await createRound(db, {
    surveyId: 'oj-vinr-2018',
    title: 'Öppna jämförelser – våld i nära relationer 2018 (demo)',
    opensAt: `${lastYear}-01-23T08:00:00+01:00`,
    closesAt: `${lastYear}-03-15T23:59:59+01:00`,
    organisationIds: [org.id],
  });
  const report = await createRound(db, {
    surveyId: 'aterrapportering-kommun-2018',
    title: 'Återrapportering utvecklingsmedel 2018 (demo)',
    opensAt: new Date(now - 5 * DAY).toISOString(),
    closesAt: new Date(now + 14 * DAY).toISOString(),
    contactText: 'Frågor om återrapporteringen: Socialstyrelsen, utvecklingsmedel@socialstyrelsen.example.',
    organisationIds: [org.id],
  });
  await extendAssignment(db, report.assignments[0].id, new Date(now + 45 * DAY).toISOString());
  const user = await createUser(db, { email: DEMO_RESPONDENT.email, role: 'respondent', name: DEMO_RESPONDENT.name, organisationId: org.id });
  await audit(db, { actorUserId: null, action: 'user.add', entity: 'user', entityId: user.id, after: { email: user.email, role: user.role, organisationId: org.id }, reason: 'demo data' });
  return `respondent ${DEMO_RESPONDENT.email} for ${org.name}: sign in and open /min-organisation for its three rounds and the calendar feed`;
}
