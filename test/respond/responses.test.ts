import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRevisions, reopenResponse, ResponseStateError, restoreRevision } from '~/models/responses/history.server';
import { computePrefill, ensureResponse, loadRespondentContext, saveDraft } from '~/models/responses/responses.server';
import { submitResponse } from '~/models/responses/submit.server';
import { freshDb, type TestDb } from '../helpers/db';
import { fixtures, openRound } from './helpers';

const OJ = 'oj-vinr-2019';

describe('responses: drafts, conflicts, submit, history', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  async function start(surveyId = OJ, codes = ['0180']) {
    const { assignments } = await openRound(t.db, surveyId, codes);
    const ctx = (await loadRespondentContext(t.db, assignments[0].token))!;
    const response = await ensureResponse(t.db, ctx);
    return { ctx: { ...ctx, response }, response, assignments };
  }

  it('creates the response once, at version 0 with a prefill revision', async () => {
    const { ctx, response } = await start();
    expect(response.version).toBe(0);
    expect(JSON.parse(response.data)).toEqual({});
    expect((await ensureResponse(t.db, { ...ctx, response: undefined })).id).toBe(response.id);
    const revisions = await t.db.selectFrom('response_revisions').selectAll().execute();
    expect(revisions.map((r) => [r.version, r.kind])).toEqual([[0, 'prefill']]);
  });

  it('saves versioned drafts, each with a revision, and marks the assignment as draft', async () => {
    const { response, assignments } = await start();
    const first = await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, savedBy: 'Anna' });
    expect(first).toMatchObject({ ok: true, version: 1, savedBy: 'Anna' });
    const second = await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 1, data: { fortbildning_vuxna: 'ja', fortbildning_barn: 'nej' }, savedBy: 'Bo' });
    expect(second).toMatchObject({ ok: true, version: 2 });
    const row = await t.db.selectFrom('responses').selectAll().where('id', '=', response.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 2, last_saved_by: 'Bo' });
    expect(JSON.parse(row.data)).toEqual({ fortbildning_vuxna: 'ja', fortbildning_barn: 'nej' });
    const status = await t.db.selectFrom('assignments').select('status').where('id', '=', assignments[0].id).executeTakeFirstOrThrow();
    expect(status.status).toBe('draft');
    const history = await listRevisions(t.db, response.id);
    expect(history.map((h) => [h.version, h.kind, h.savedBy, h.changed])).toEqual([
      [2, 'draft', 'Bo', ['fortbildning_barn']],
      [1, 'draft', 'Anna', ['fortbildning_vuxna']],
      [0, 'prefill', null, []],
    ]);
  });

  it('refuses a save from a stale version with the server answers and the base, changing nothing', async () => {
    const { response } = await start();
    await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, savedBy: 'Anna' });
    const stale = await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 0, data: { fortbildning_barn: 'ja' }, savedBy: 'Bo' });
    expect(stale).toEqual({ ok: false, reason: 'conflict', version: 1, data: { fortbildning_vuxna: 'ja' }, base: {}, savedAt: expect.any(String), savedBy: 'Anna' });
    const row = await t.db.selectFrom('responses').select(['version', 'data']).where('id', '=', response.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: 1, data: JSON.stringify({ fortbildning_vuxna: 'ja' }) });
  });

  it('concurrent saves: exactly one wins each version, other responses are unaffected, a failing save fails alone', async () => {
    const { assignments } = await openRound(t.db, OJ, ['0180', '2584', '1480']);
    const responses = await Promise.all(assignments.map(async (a) => ensureResponse(t.db, (await loadRespondentContext(t.db, a.token))!)));
    const same = Array.from({ length: 20 }, (_, i) => saveDraft(t.db, { responseId: responses[0].id, surveyId: OJ, baseVersion: 0, data: { ovriga_kommentarer: `klient ${i}` }, savedBy: `K${i}` }));
    const others = responses.slice(1).map((r) => saveDraft(t.db, { responseId: r.id, surveyId: OJ, baseVersion: 0, data: { fortbildning_barn: 'ja' }, savedBy: 'X' }));
    // Caught at once: on PostgreSQL it may fail before the others finish.
    const broken = saveDraft(t.db, { responseId: 999_999, surveyId: OJ, baseVersion: 0, data: {}, savedBy: 'X' }).then(
      () => 'saved',
      (e: Error) => e,
    );
    const results = await Promise.all(same);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(19);
    expect((await Promise.all(others)).every((r) => r.ok && r.version === 1)).toBe(true);
    expect(await broken).toBeInstanceOf(Error);
    const winner = results.findIndex((r) => r.ok);
    const row = await t.db.selectFrom('responses').select(['version', 'data']).where('id', '=', responses[0].id).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: 1, data: JSON.stringify({ ovriga_kommentarer: `klient ${winner}` }) });
    const revisions = await t.db.selectFrom('response_revisions').select('version').where('response_id', '=', responses[0].id).execute();
    expect(revisions.map((r) => r.version).sort()).toEqual([0, 1]);
  });

  it('rejects unknown keys, unknown choices and wrong types without touching the saved answers', async () => {
    const { response } = await start();
    await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, savedBy: 'Anna' });
    for (const data of [{ hemlig_fraga: 'x' }, { fortbildning_vuxna: 'kanske' }, { fortbildning_vuxna: 7 }, { ovriga_kommentarer: { a: 1 } }]) {
      const result = await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 1, data, savedBy: 'Bo' });
      expect(result.ok).toBe(false);
      if (!result.ok && result.reason === 'invalid') expect(result.errors[0].question).toBe(Object.keys(data)[0]);
      else throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
    }
    const row = await t.db.selectFrom('responses').select(['version', 'data']).where('id', '=', response.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: 1, data: JSON.stringify({ fortbildning_vuxna: 'ja' }) });
  });

  it('submit: errors keep the draft; success locks, projects, queues a receipt; repeats are idempotent', async () => {
    const { ctx, response, assignments } = await start('aterrapportering-kommun-2018');
    const full = fixtures['aterrapportering-kommun-2018'];
    const bad = { ...full, forbrukat_belopp: 999_999 };
    const failed = await submitResponse(t.db, ctx, { baseVersion: 0, data: bad, submittedBy: 'Anna', email: 'anna@kommun.se' });
    expect(failed.ok).toBe(false);
    if (failed.ok || failed.reason !== 'invalid') throw new Error('expected invalid');
    expect(failed.errors.map((e) => e.question)).toContain('forbrukat_belopp');
    expect(failed.errors.every((e) => /[åäö]|[a-z]/.test(e.message))).toBe(true);
    expect(failed).toMatchObject({ saved: true, version: 1 });
    const draft = await t.db.selectFrom('responses').selectAll().where('id', '=', response.id).executeTakeFirstOrThrow();
    expect(JSON.parse(draft.data).forbrukat_belopp).toBe(999_999);
    expect(draft.submitted_at).toBeNull();

    const ok = await submitResponse(t.db, ctx, { baseVersion: 1, data: full, submittedBy: 'Anna', email: 'anna@kommun.se' });
    if (!ok.ok) throw new Error(JSON.stringify(ok));
    expect(ok.reference).toMatch(/^ENK-2018-\d{6}-[0-9A-F]{4}$/);
    expect(ok.repeated).toBe(false);
    const locked = (await loadRespondentContext(t.db, assignments[0].token))!;
    expect(locked.assignment.status).toBe('submitted');
    expect(locked.response).toMatchObject({ submitted_by: 'Anna', submitted_email: 'anna@kommun.se', reference: ok.reference, version: 2 });
    const projected = await t.db.selectFrom('answer_values').select('question').where('response_id', '=', response.id).execute();
    expect(projected.map((p) => p.question)).toContain('forbrukat_belopp');
    const mail = await t.db.selectFrom('outbox').selectAll().where('kind', '=', 'receipt').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0].to_address).toBe('anna@kommun.se');
    expect(mail[0].subject).toContain(ok.reference);
    expect(mail[0].text_body).toContain(`/svar/${assignments[0].token}/kvittens`);

    const again = await submitResponse(t.db, { ...locked, response: locked.response! }, { baseVersion: 0, data: {}, submittedBy: 'Bo' });
    expect(again).toMatchObject({ ok: true, reference: ok.reference, repeated: true });
    // A save to the submitted response is refused even with the current version.
    const late = await saveDraft(t.db, { responseId: response.id, surveyId: 'aterrapportering-kommun-2018', baseVersion: 2, data: {}, savedBy: 'Bo' });
    expect(late).toEqual({ ok: false, reason: 'submitted' });
    expect((await t.db.selectFrom('outbox').select('id').execute()).length).toBe(1);
  });

  it('a stale submit while a colleague submitted returns the same reference', async () => {
    const { ctx } = await start();
    const data = fixtures[OJ];
    const first = await submitResponse(t.db, ctx, { baseVersion: 0, data, submittedBy: 'Anna' });
    const second = await submitResponse(t.db, ctx, { baseVersion: 0, data, submittedBy: 'Bo' });
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) expect(second.reference).toBe(first.reference);
  });

  it('reopen keeps the earlier submission in history, allows edits and a new submission; restore adds a revision', async () => {
    const { ctx, response, assignments } = await start();
    const data = fixtures[OJ];
    const first = await submitResponse(t.db, ctx, { baseVersion: 0, data, submittedBy: 'Anna' });
    await expect(reopenResponse(t.db, assignments[0].id, { by: 'admin@myndighet.se', reason: ' ' })).rejects.toThrow(ResponseStateError);
    await expect(restoreRevision(t.db, response.id, 0, 'admin')).rejects.toThrow('reopen');
    const reopened = await reopenResponse(t.db, assignments[0].id, { by: 'admin@myndighet.se', reason: 'Fel belopp' });
    expect(reopened.before.status).toBe('submitted');
    expect(reopened.after.status).toBe('reopened');
    await expect(reopenResponse(t.db, assignments[0].id, { by: 'admin', reason: 'igen' })).rejects.toThrow('not submitted');

    const saved = await saveDraft(t.db, { responseId: response.id, surveyId: OJ, baseVersion: 2, data: { ...data, freda_kortfragor: 'nej' }, savedBy: 'Bo' });
    expect(saved).toMatchObject({ ok: true, version: 3 });
    const ctx2 = (await loadRespondentContext(t.db, assignments[0].token))!;
    const second = await submitResponse(t.db, { ...ctx2, response: ctx2.response! }, { baseVersion: 3, data: { ...data, freda_kortfragor: 'nej' }, submittedBy: 'Bo' });
    expect(second.ok && first.ok && second.reference !== first.reference).toBe(true);

    const history = await listRevisions(t.db, response.id);
    expect(history.map((h) => h.kind)).toEqual(['submit', 'draft', 'reopen', 'submit', 'prefill']);
    expect(history.find((h) => h.kind === 'reopen')).toMatchObject({ savedBy: 'admin@myndighet.se', note: 'Fel belopp' });

    await reopenResponse(t.db, assignments[0].id, { by: 'admin', reason: 'Återställ' });
    const restored = await restoreRevision(t.db, response.id, 1, 'admin');
    expect(restored.after.data.freda_kortfragor).toBe(data.freda_kortfragor);
    expect((await listRevisions(t.db, response.id))[0]).toMatchObject({ kind: 'restore', note: 'restored version 1', changed: ['freda_kortfragor'] });
  });
});

describe('prefill from the previous version of the family', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('a 2018 återrapportering starts with the stable 2017 answers of the same organisation', async () => {
    const old = await openRound(t.db, 'aterrapportering-kommun-2017', ['0180', '2584']);
    const answers2017 = fixtures['aterrapportering-kommun-2017'];
    for (const a of old.assignments) {
      const ctx = (await loadRespondentContext(t.db, a.token))!;
      const response = await ensureResponse(t.db, ctx);
      const data = a === old.assignments[0] ? answers2017 : { ...answers2017, ledningssystem: 'nej', ledningssystem_arbete: undefined };
      const result = await submitResponse(t.db, { ...ctx, response }, { baseVersion: 0, data: JSON.parse(JSON.stringify(data)), submittedBy: 'Anna' });
      expect(result.ok).toBe(true);
    }
    const next = await openRound(t.db, 'aterrapportering-kommun-2018', ['0180', '2584', '1480']);
    const [stockholm, kiruna, goteborg] = await Promise.all(next.assignments.map(async (a) => ensureResponse(t.db, (await loadRespondentContext(t.db, a.token))!)));

    const keys = JSON.parse(stockholm.prefilled_keys!) as string[];
    const data = JSON.parse(stockholm.data);
    // Only the facts the survey marks as stable (meta.prefill.keys), never the year's money or text.
    expect(keys.sort()).toEqual(['ledningssystem', 'samordning_placering', 'samordningsfunktion', 'samverkan', ...(answers2017.ledningssystem_arbete ? ['ledningssystem_arbete'] : []), ...(answers2017.samverkan_intern_funktioner ? ['samverkan_intern_funktioner'] : [])].sort());
    for (const k of keys) expect(data[k]).toEqual(answers2017[k]);
    // 2018-only questions are not prefilled; computed values are recomputed, not carried over.
    expect(keys).not.toContain('bidrag_kvalitetsutveckling');
    expect(keys).toContain('samordning_placering');
    expect(JSON.parse(kiruna.data).ledningssystem).toBe('nej');
    // An organisation without 2017 answers starts empty.
    expect(goteborg.prefilled_keys).toBeNull();
    expect(JSON.parse(goteborg.data)).toEqual({});
  });

  it('drops answers this version no longer accepts', async () => {
    const old = await openRound(t.db, 'aterrapportering-kommun-2017', ['0180']);
    const ctx = (await loadRespondentContext(t.db, old.assignments[0].token))!;
    const response = await ensureResponse(t.db, ctx);
    // Simulate a stored answer with a choice that no longer exists.
    await t.db.updateTable('responses').set({ data: JSON.stringify({ ledningssystem: 'kanske', samordningsfunktion: 'ja', okand: 1 }) }).where('id', '=', response.id).execute();
    const next = await openRound(t.db, 'aterrapportering-kommun-2018', ['0180']);
    const a = (await loadRespondentContext(t.db, next.assignments[0].token))!;
    expect(await computePrefill(t.db, a.assignment, 'aterrapportering-kommun-2018')).toEqual({ data: { samordningsfunktion: 'ja' }, keys: ['samordningsfunktion'] });
  });
});
