import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRespondentContext } from '~/models/responses/responses.server';
import { reopenResponse } from '~/models/responses/history.server';
import { closeRound } from '~/models/rounds/rounds.server';
import { loader as receiptLoader } from '~/routes/svar.$token.kvittens';
import { loader as formLoader } from '~/routes/svar.$token._index';
import { action as submitAction } from '~/routes/svar.$token.skicka';
import { action as saveAction } from '~/routes/svar.$token.spara';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { fixtures, openRound } from './helpers';

const OJ = 'oj-vinr-2019';
type FormData = Awaited<ReturnType<typeof formLoader>>;
type ReceiptData = Awaited<ReturnType<typeof receiptLoader>>;

const form = (token: string) => callLoader(formLoader, `/svar/${token}`, { params: { token } });
const receipt = (token: string) => callLoader(receiptLoader, `/svar/${token}/kvittens`, { params: { token } });
const save = (token: string, init: Parameters<typeof callAction>[2]) => callAction(saveAction, `/svar/${token}/spara`, { params: { token }, ...init }) as Promise<Response>;
const submit = (token: string, init: Parameters<typeof callAction>[2]) => callAction(submitAction, `/svar/${token}/skicka`, { params: { token }, ...init }) as Promise<Response>;

describe('respondent routes', () => {
  let t: TestDb;
  let tokens: string[];
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    tokens = (await openRound(t.db, OJ, ['0180', '2584'], { contactText: 'Frågor? Ring Socialstyrelsen, 075-247 30 00.' })).assignments.map((a) => a.token);
  });
  afterEach(async () => t.destroy());

  async function stored(token: string) {
    const ctx = (await loadRespondentContext(t.db, token))!;
    return { status: ctx.assignment.status, version: ctx.response?.version ?? null, data: ctx.response ? JSON.parse(ctx.response.data) : null };
  }

  it('the form page shows organisation, survey, deadline and the SurveyJS JSON; the receipt waits for a submit', async () => {
    const data = (await form(tokens[0])) as FormData;
    expect(data.view).toMatchObject({ organisationName: 'Stockholm', roundTitle: `Runda ${OJ}`, state: 'open', version: 0, lastSavedBy: null });
    expect(data.view.deadlineText).toMatch(/\d{4}/);
    expect(data.view.surveyJson).toHaveProperty('pages');
    expect(((await receipt(tokens[0])) as ReceiptData).receipt).toBeNull();
  });

  it('unknown, malformed and revoked links get 404 everywhere and reveal nothing', async () => {
    const bad = ['x', 'a'.repeat(43), `${tokens[0].slice(0, -1)}${tokens[0].endsWith('A') ? 'B' : 'A'}`, '%00', "'; drop table responses; --"];
    for (const token of bad) {
      for (const res of [await form(token), await receipt(token), await save(token, { json: { baseVersion: 0, data: {} } }), await submit(token, { json: { baseVersion: 0, data: {}, submittedBy: 'X' } })]) {
        expect(res).toBeInstanceOf(Response);
        const r = res as Response;
        expect(r.status).toBe(404);
        const text = await r.text();
        expect(text).not.toMatch(/Stockholm|Kiruna|oj-vinr/);
      }
    }
  });

  it('saves drafts through the API and answers a stale save with 409 and the server answers', async () => {
    const ok = await save(tokens[0], { json: { baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, savedBy: 'Anna' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, version: 1, savedBy: 'Anna' });
    const stale = await save(tokens[0], { json: { baseVersion: 0, data: { fortbildning_barn: 'ja' }, savedBy: 'Bo' } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ reason: 'conflict', version: 1, data: { fortbildning_vuxna: 'ja' }, base: {}, savedBy: 'Anna' });
    const page = (await form(tokens[0])) as FormData;
    expect(page.view).toMatchObject({ version: 1, lastSavedBy: 'Anna', data: { fortbildning_vuxna: 'ja' } });
  });

  it('bad input: malformed JSON, wrong shape, unknown keys and choices, wrong types → 400; too large → 413; nothing changes', async () => {
    await save(tokens[0], { json: { baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, savedBy: 'Anna' } });
    const before = await stored(tokens[0]);
    const cases: [Parameters<typeof callAction>[2], number, RegExp][] = [
      [{ body: '{"baseVersion":1,"data":', headers: { 'Content-Type': 'application/json' } }, 400, /malformed JSON/],
      [{ json: [1, 2] }, 400, /invalid request/],
      [{ json: { data: {} } }, 400, /baseVersion/],
      [{ json: { baseVersion: 1, data: {}, responseId: 99 } }, 400, /responseId/],
      [{ json: { baseVersion: -1, data: {} } }, 400, /baseVersion/],
      [{ json: { baseVersion: 1, data: { okand_fraga: 'x' } } }, 400, /okand_fraga/],
      [{ json: { baseVersion: 1, data: { fortbildning_vuxna: 'kanske' } } }, 400, /fortbildning_vuxna/],
      [{ json: { baseVersion: 1, data: { fortbildning_vuxna: ['ja'] } } }, 400, /fortbildning_vuxna/],
      [{ json: { baseVersion: 1, data: { ovriga_kommentarer: 'x'.repeat(600_000) } } }, 413, /too large/],
      [{ body: 'x'.repeat(600_000), headers: { 'Content-Type': 'application/json', 'Content-Length': '10' } }, 413, /too large/],
      [{ json: { baseVersion: 1, data: {} }, method: 'PUT' }, 405, /POST/],
    ];
    for (const [init, status, error] of cases) {
      const res = await save(tokens[0], init);
      expect(res.status, JSON.stringify(init).slice(0, 100)).toBe(status);
      const body = await res.json();
      expect(body.error).toMatch(error);
      expect(body.message).toBeTruthy();
    }
    const submitBad = await submit(tokens[0], { json: { baseVersion: 1, data: { okand: 1 }, submittedBy: 'Anna' } });
    expect(submitBad.status).toBe(400);
    expect((await submitBad.json()).error).toMatch(/okand/);
    expect(await stored(tokens[0])).toEqual(before);
  });

  it('odd payloads never cause a 5xx: deep nesting, invalid UTF-8, extreme numbers, prototype keys', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const bodies: BodyInit[] = [
      `{"baseVersion":0,"data":{"ovriga_kommentarer":${deep}}}`,
      deep,
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      '{"baseVersion":1e308,"data":{}}',
      '{"baseVersion":0,"data":{"fortbildning_vuxna":1e308}}',
      '{"baseVersion":0,"data":{"__proto__":{"x":1},"constructor":"ja"}}',
      '{"baseVersion":0,"data":null}',
      '',
    ];
    for (const body of bodies) {
      for (const call of [save, submit]) {
        const res = await call(tokens[1], { body, headers: { 'Content-Type': 'application/json' } });
        expect(res.status, String(body).slice(0, 60)).toBe(400);
      }
    }
    expect(await stored(tokens[1])).toEqual({ status: 'not_started', version: null, data: null });
  });

  it('a person survey link shows the invited person', async () => {
    const { createRound } = await import('~/models/rounds/rounds.server');
    const { assignments } = await createRound(t.db, {
      surveyId: 'samverkanspartner-2014',
      title: 'Samverkanspartner 2014',
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      persons: [{ name: 'Pia Person', email: 'pia@example.se' }],
    });
    const data = (await form(assignments[0].token)) as FormData;
    expect(data.view).toMatchObject({ organisationName: null, personName: 'Pia Person', state: 'open' });
  });

  it('submit: 400 with errors per question (draft kept), then success, idempotent repeat, 409 for later saves, receipt', async () => {
    const full = fixtures[OJ];
    const { fortbildning_barn: _missing, ...partial } = full;
    const failed = await submit(tokens[0], { json: { baseVersion: 0, data: partial, submittedBy: 'Anna', email: 'anna@stockholm.se' } });
    expect(failed.status).toBe(400);
    const body = await failed.json();
    expect(body.errors.map((e: { question: string }) => e.question)).toEqual(['fortbildning_barn']);
    expect(body.errors[0].message).toMatch(/[a-zåäö]/i);
    expect(body).toMatchObject({ saved: true, version: 1 });
    expect((await stored(tokens[0])).data).toEqual(partial);

    const ok = await submit(tokens[0], { json: { baseVersion: 1, data: full, submittedBy: 'Anna', email: 'anna@stockholm.se' } });
    expect(ok.status).toBe(200);
    const { reference } = await ok.json();
    const again = await submit(tokens[0], { json: { baseVersion: 1, data: full, submittedBy: 'Anna' } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ reference, repeated: true });

    const late = await save(tokens[0], { json: { baseVersion: 2, data: {}, savedBy: 'Bo' } });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ reason: 'submitted', message: expect.stringMatching(/redan inskickat/) });

    const page = (await form(tokens[0])) as FormData;
    expect(page.view).toMatchObject({ state: 'submitted', reference, surveyJson: null });
    const r = ((await receipt(tokens[0])) as ReceiptData).receipt!;
    expect(r.reference).toBe(reference);
    expect(r.submittedBy).toBe('Anna');
    const lines = r.sections.flatMap((s) => s.answers);
    expect(lines.find((l) => l.key === 'fortbildning_vuxna')).toMatchObject({ title: expect.stringMatching(/fortbildning/i), lines: ['Ja'] });
  });

  it('a reopened response can be edited and submitted again, also after the deadline; the receipt shows the latest', async () => {
    const first = await (await submit(tokens[0], { json: { baseVersion: 0, data: fixtures[OJ], submittedBy: 'Anna' } })).json();
    const ctx = (await loadRespondentContext(t.db, tokens[0]))!;
    await closeRound(t.db, ctx.round.id);
    await reopenResponse(t.db, ctx.assignment.id, { by: 'admin@myndighet.se', reason: 'Fel i svaret om FREDA' });
    const page = (await form(tokens[0])) as FormData;
    expect(page.view).toMatchObject({ state: 'open', reopened: true, version: 2 });
    expect(((await receipt(tokens[0])) as ReceiptData).receipt).toMatchObject({ reference: first.reference, reopened: true });
    expect((await save(tokens[0], { json: { baseVersion: 2, data: { ...fixtures[OJ], freda_kortfragor: 'nej' }, savedBy: 'Anna' } })).status).toBe(200);
    const second = await (await submit(tokens[0], { json: { baseVersion: 3, data: { ...fixtures[OJ], freda_kortfragor: 'nej' }, submittedBy: 'Anna' } })).json();
    expect(second.reference).not.toBe(first.reference);
    const r = ((await receipt(tokens[0])) as ReceiptData).receipt!;
    expect(r).toMatchObject({ reference: second.reference, reopened: false });
    expect(r.sections.flatMap((x) => x.answers).find((a) => a.key === 'freda_kortfragor')?.lines).toEqual(['Nej']);
  });

  it('the receipt e-mail links to the configured address, not to the Host the request named', async () => {
    const res = (await callAction(submitAction, `http://attacker.example/svar/${tokens[0]}/skicka`, {
      params: { token: tokens[0] },
      json: { baseVersion: 0, data: fixtures[OJ], submittedBy: 'Anna', email: 'anna@kommun.se' },
    })) as Response;
    expect(res.status).toBe(200);
    const mail = await t.db.selectFrom('outbox').select('text_body').where('kind', '=', 'receipt').executeTakeFirstOrThrow();
    expect(mail.text_body).toContain(`http://localhost:3000/svar/${tokens[0]}/kvittens`);
    expect(mail.text_body).not.toContain('attacker.example');
  });

  it('after the deadline the form is read-only with whom to contact, and saves get 409', async () => {
    await save(tokens[0], { json: { baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, savedBy: 'Anna' } });
    const ctx = (await loadRespondentContext(t.db, tokens[0]))!;
    await closeRound(t.db, ctx.round.id);
    const page = (await form(tokens[0])) as FormData;
    expect(page.view).toMatchObject({ state: 'closed', surveyJson: null, contactText: 'Frågor? Ring Socialstyrelsen, 075-247 30 00.' });
    expect(page.view.sections!.flatMap((s) => s.answers).find((a) => a.key === 'fortbildning_vuxna')?.lines).toEqual(['Ja']);
    const res = await save(tokens[0], { json: { baseVersion: 1, data: {}, savedBy: 'Anna' } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ reason: 'closed' });
    expect((await submit(tokens[0], { json: { baseVersion: 1, data: fixtures[OJ], submittedBy: 'Anna' } })).status).toBe(409);
  });

  it('a link reaches only its own assignment: every route tried against another organisation fails', async () => {
    const [mine, theirs] = tokens;
    await save(theirs, { json: { baseVersion: 0, data: { fortbildning_vuxna: 'nej' }, savedBy: 'Kiruna' } });
    const before = await stored(theirs);
    const theirCtx = (await loadRespondentContext(t.db, theirs))!;
    // Things an attacker might know or guess about the other assignment instead of its token.
    const forged = [theirCtx.assignment.token_hash, theirCtx.assignment.token_nonce, String(theirCtx.assignment.id), `${theirs.slice(0, 42)}`, theirs.toUpperCase()];
    for (const token of forged) {
      expect(((await form(token)) as Response).status).toBe(404);
      expect(((await receipt(token)) as Response).status).toBe(404);
      expect((await save(token, { json: { baseVersion: 1, data: { fortbildning_vuxna: 'ja' } } })).status).toBe(404);
      expect((await submit(token, { json: { baseVersion: 1, data: fixtures[OJ], submittedBy: 'X' } })).status).toBe(404);
    }
    // My own link with the other assignment's ids smuggled in: refused, or applied to mine only.
    const smuggled = { assignmentId: theirCtx.assignment.id, responseId: theirCtx.response!.id };
    expect((await save(mine, { json: { baseVersion: 0, data: { fortbildning_vuxna: 'ja' }, ...smuggled } })).status).toBe(400);
    expect((await submit(mine, { json: { baseVersion: 0, data: fixtures[OJ], submittedBy: 'X', ...smuggled } })).status).toBe(400);
    const withQuery = (await callLoader(formLoader, `/svar/${mine}?assignment=${theirCtx.assignment.id}&response=${theirCtx.response!.id}`, { params: { token: mine } })) as FormData;
    expect(withQuery.view.organisationName).toBe('Stockholm');
    expect(withQuery.view.data).toEqual({});
    const mySave = await callAction(saveAction, `/svar/${mine}/spara?response=${theirCtx.response!.id}`, { params: { token: mine }, json: { baseVersion: 0, data: { fortbildning_vuxna: 'ja' } } });
    expect((mySave as Response).status).toBe(200);
    const mySubmit = await callAction(submitAction, `/svar/${mine}/skicka?response=${theirCtx.response!.id}`, { params: { token: mine }, json: { baseVersion: 1, data: fixtures[OJ], submittedBy: 'X' } });
    expect((mySubmit as Response).status).toBe(200);
    const myReceipt = ((await receipt(mine)) as ReceiptData).receipt!;
    expect(myReceipt.organisationName).toBe('Stockholm');
    expect(((await receipt(theirs)) as ReceiptData).receipt).toBeNull();
    expect(await stored(theirs)).toEqual(before);
    expect((await stored(mine)).status).toBe('submitted');
  });
});
