import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureResponse, loadRespondentContext } from '~/models/responses/responses.server';
import { submitResponse } from '~/models/responses/submit.server';
import { freshDb, type TestDb } from '../helpers/db';
import { fixtures, openRound } from './helpers';

/** Issue 16 (7): a new year's form starts with stable facts only; money comes from the ledger of its year. */
describe('prefill takes only stable facts', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  async function submit2017(code: string) {
    const old = await openRound(t.db, 'aterrapportering-kommun-2017', [code]);
    const ctx = (await loadRespondentContext(t.db, old.assignments[0].token))!;
    const response = await ensureResponse(t.db, ctx);
    const data: Record<string, unknown> = { ...fixtures['aterrapportering-kommun-2017'], beviljat_belopp: 250_000, forbrukat_belopp: 220_000 };
    expect((await submitResponse(t.db, { ...ctx, response }, { baseVersion: 0, data, submittedBy: 'Anna' })).ok).toBe(true);
    return data;
  }

  async function open2018(code: string) {
    const next = await openRound(t.db, 'aterrapportering-kommun-2018', [code]);
    const response = await ensureResponse(t.db, (await loadRespondentContext(t.db, next.assignments[0].token))!);
    return { data: JSON.parse(response.data) as Record<string, unknown>, keys: JSON.parse(response.prefilled_keys ?? '[]') as string[] };
  }

  it('2017 amounts and narrative never appear in the 2018 form', async () => {
    const answers2017 = await submit2017('0180');
    const { data, keys } = await open2018('0180');
    expect(data.samordningsfunktion).toBe(answers2017.samordningsfunktion);
    for (const key of Object.keys(answers2017).filter((k) => /belopp|kostnad|mojliggjort|synpunkter|kommentar|aterbetalas/.test(k))) {
      expect(data, key).not.toHaveProperty(key);
      expect(keys).not.toContain(key);
    }
    expect(JSON.stringify(data)).not.toMatch(/250000|220000/);
  });

  it('beviljat belopp comes from the ledger of the form’s year when the ledger has it', async () => {
    await submit2017('0180');
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '0180').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    for (const [year, allocated] of [[2017, 250_000], [2018, 183_150]])
      await t.db
        .insertInto('grants')
        .values({ organisation_id: org.id, program: 'vinr-utvecklingsmedel', year, status: 'forbrukat', allocated_sek: allocated, used_sek: allocated, repaid_sek: 0, created_at: now, updated_at: now })
        .execute();
    const { data, keys } = await open2018('0180');
    expect(data.beviljat_belopp).toBe(183_150);
    expect(keys).toContain('beviljat_belopp');
    expect(data).not.toHaveProperty('forbrukat_belopp');
  });

  it('an organisation that did not request this year gets no amount', async () => {
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '2584').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await t.db
      .insertInto('grants')
      .values({ organisation_id: org.id, program: 'vinr-utvecklingsmedel', year: 2018, status: 'ej_rekvirerat', allocated_sek: 0, used_sek: 0, repaid_sek: 0, created_at: now, updated_at: now })
      .execute();
    expect(await open2018('2584')).toEqual({ data: {}, keys: [] });
  });
});
