import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxDemo, DEMO_RESPONDENT } from '../../db/seed/demo-inbox';
import { respondentDemo } from '../../db/seed/demo-respond';
import { organisationInbox } from '~/models/responses/inbox.server';
import { findUserByEmail } from '~/models/auth/users.server';
import { freshDb, type TestDb } from '../helpers/db';

describe('inbox demo step', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('adds a respondent whose kommun has three rounds, once', async () => {
    expect(await inboxDemo(t.db)).toMatch(/skipped/);
    await respondentDemo(t.db);
    expect(await inboxDemo(t.db)).toContain(DEMO_RESPONDENT.email);
    const user = (await findUserByEmail(t.db, DEMO_RESPONDENT.email))!;
    expect(user.role).toBe('respondent');
    const inbox = (await organisationInbox(t.db, user.organisation_id!))!;
    expect(inbox.open.map((i) => i.surveyId)).toEqual(['oj-vinr-2019', 'aterrapportering-kommun-2018']);
    expect(inbox.past.map((i) => i.surveyId)).toEqual(['oj-vinr-2018']);
    const rounds = await t.db.selectFrom('rounds').select('id').execute();
    expect(await inboxDemo(t.db)).toMatch(/exists/);
    expect(await t.db.selectFrom('rounds').select('id').execute()).toHaveLength(rounds.length);
  });
});
