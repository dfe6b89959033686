/**
 * Regressions for what the fuzz drill (test/drills/fuzz.drill.ts) found in the respondent
 * save/submit endpoints: each hostile body is refused with a 4xx and leaves nothing stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRound } from '~/models/rounds/rounds.server';
import { action as submitAction } from '~/routes/svar.$token.skicka';
import { action as saveAction } from '~/routes/svar.$token.spara';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction } from '../helpers/request';
import { fixtures, openRound } from './helpers';

const OJ = 'oj-vinr-2019';
const endpoints = [
  { name: 'save', action: saveAction, path: 'spara', envelope: (data: unknown, baseVersion = 0) => ({ baseVersion, data, savedBy: 'Anna' }) },
  { name: 'submit', action: submitAction, path: 'skicka', envelope: (data: unknown, baseVersion = 0) => ({ baseVersion, data, submittedBy: 'Anna' }) },
] as const;

describe('respondent endpoints refuse what the fuzz drill found, and store nothing', () => {
  let t: TestDb;
  let token: string;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    token = (await openRound(t.db, OJ, ['0180'])).assignments[0].token;
  });
  afterEach(async () => t.destroy());

  /** The assignment's whole stored state: response row, revisions, status. */
  async function stored() {
    const assignment = await t.db.selectFrom('assignments').select(['id', 'status', 'updated_at']).executeTakeFirstOrThrow();
    const response = await t.db.selectFrom('responses').selectAll().where('assignment_id', '=', assignment.id).executeTakeFirst();
    const revisions = await t.db.selectFrom('response_revisions').selectAll().execute();
    return { assignment, response, revisions };
  }

  async function send(endpoint: (typeof endpoints)[number], body: BodyInit) {
    const res = (await callAction(endpoint.action, `/svar/${token}/${endpoint.path}`, { params: { token }, headers: { 'Content-Type': 'application/json' }, body })) as Response;
    return { status: res.status, json: await res.json() };
  }

  type Endpoint = (typeof endpoints)[number];
  const json = (value: unknown) => JSON.stringify(value);
  /** The envelope with the answers given as JSON text, so the text can hold anything. */
  const envelope = (e: Endpoint, dataText: string | Buffer, baseVersion: number | string = 0) =>
    Buffer.concat([Buffer.from(`{"baseVersion":${baseVersion},"${e.name === 'save' ? 'savedBy' : 'submittedBy'}":"Anna","data":`), Buffer.from(dataText), Buffer.from('}')]);
  const withAnswer = (text: string) => json({ ...fixtures[OJ], ovriga_kommentarer: text });
  const bodies: [string, (e: Endpoint) => BodyInit][] = [
    // A first save naming a version that does not exist created the response row, then answered 409.
    ['a version the new response does not have', (e) => envelope(e, json(fixtures[OJ]), 3)],
    // Bad bytes were replaced by U+FFFD and the answers stored.
    ['invalid UTF-8 in an answer', (e) => envelope(e, Buffer.concat([Buffer.from('{"ovriga_kommentarer":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('b"}')]))],
    // PostgreSQL text cannot hold NUL: storing the name failed with a 500.
    ['a NUL character in the name', (e) => json(e.envelope(fixtures[OJ])).replace('"Anna"', '"An\\u0000na"')],
    ['a NUL character in an answer', (e) => envelope(e, withAnswer('a\u0000b'))],
    ['a lone surrogate in an answer', (e) => envelope(e, withAnswer('a\ud800b'))],
    // responses.version is a 32-bit integer in PostgreSQL: 2^31 failed in the query with a 500.
    ['a version beyond 32 bits', (e) => envelope(e, json(fixtures[OJ]), 2 ** 31)],
    // z.record dropped a "__proto__" key silently, so the answers were accepted without it.
    ['a "__proto__" key in the answers', (e) => envelope(e, `{"__proto__":{"x":1},${json(fixtures[OJ]).slice(1)}`)],
    ['nesting 100 000 levels deep', (e) => envelope(e, `{"ovriga_kommentarer":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)],
  ];

  for (const endpoint of endpoints) {
    for (const [what, body] of bodies) {
      it(`${endpoint.name}: ${what}`, async () => {
        const before = await stored();
        const { status, json: answer } = await send(endpoint, body(endpoint));
        expect(status, JSON.stringify(answer).slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(answer.ok).toBe(false);
        expect(await stored()).toEqual(before);
      });
    }
  }

  // When answer_values.num was real (float4) in PostgreSQL, projecting 5e-324 or 1e39 on submit failed
  // with a 500. It is a double now (migration 09); subnormals and ±Infinity (1e309) are still refused.
  for (const number of ['5e-324', '1e309', '-1e309']) {
    it(`submit: the number ${number} in a number question, beyond what the analysis table stores`, async () => {
      const survey = 'kompetensstod-lansstyrelse-2019';
      const org = await t.db.selectFrom('organisations').select('id').orderBy('id').executeTakeFirstOrThrow();
      const day = 86_400_000;
      const round = await createRound(t.db, { surveyId: survey, title: 'Tal', opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + day).toISOString(), organisationIds: [org.id] });
      token = round.assignments[0].token;
      const before = await t.db.selectFrom('responses').selectAll().execute();
      const data = `{${json(fixtures[survey]).slice(1, -1)},"organisationer_antal":${number}}`;
      const { status } = await send(endpoints[1], envelope(endpoints[1], data));
      expect(status).toBe(400);
      expect(await t.db.selectFrom('responses').selectAll().execute()).toEqual(before);
    });
  }

  it('a first save with a version that does not exist gets the conflict answer with version 0', async () => {
    const { status, json: answer } = await send(endpoints[0], json(endpoints[0].envelope({ fortbildning_vuxna: 'ja' }, 1)));
    expect(status).toBe(409);
    expect(answer).toMatchObject({ ok: false, reason: 'conflict', version: 0, data: {}, base: {} });
    const ok = await send(endpoints[0], json(endpoints[0].envelope({ fortbildning_vuxna: 'ja' }, answer.version)));
    expect(ok).toMatchObject({ status: 200, json: { ok: true, version: 1 } });
  });
});
