import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondentDemo } from '../../db/seed/demo-respond';
import { loadRespondentContext } from '~/models/responses/responses.server';
import { freshDb, type TestDb } from '../helpers/db';

describe('respondent demo data', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('creates an ÖJ 2019 round for two län with drafts and submissions, prints working links, and runs once', async () => {
    const message = await respondentDemo(t.db);
    expect(message).toMatch(/ÖJ 2019 round for 29 kommuner in Västerbotten and Norrbotten \(4 drafts, 4 submitted\)/);
    const tokens = [...message.matchAll(/\/svar\/([A-Za-z0-9_-]{43})/g)].map((m) => m[1]);
    expect(tokens).toHaveLength(3);
    const statuses = await Promise.all(tokens.map(async (token) => (await loadRespondentContext(t.db, token))!.assignment.status));
    expect(statuses).toEqual(['not_started', 'draft', 'submitted']);
    expect(await respondentDemo(t.db)).toMatch(/already there/);
    expect((await t.db.selectFrom('rounds').select('id').execute()).length).toBe(1);
  });
});
