/**
 * Server time of the respondent form page (/svar/<token>), which renders the whole SurveyJS
 * form on the server (issue #13): a 60-question form, and the largest built-in form
 * (aterrapportering-kommun-2018, 43 questions), each with saved answers.
 *
 * The 60-question form is aterrapportering-kommun-2018 with its question pages repeated under
 * new names until it has 60 questions, published as a database version the way /admin/enkater
 * does (insertDraft + markPublished). Per form: WARMUP requests, then REQUESTS sequential GETs,
 * GAP_MS apart (back-to-back requests leave the pool no idle time to build the next model in),
 * over HTTP on 127.0.0.1 to the production build, timed from the request to the last byte of
 * the body (uncompressed: `Accept-Encoding: identity`; the 60-question form also with Brotli, as
 * browsers get it). SQLite only. Loops are bounded.
 * The 60-question form is measured twice: with the server's pool of models built ahead of time
 * (~/utils/survey-model-pool, the default) and without it (ENKATNAV_MODEL_POOL=off).
 */
import fs from 'node:fs';
import { createDb } from '../../db/dialect';
import { createRound } from '../../app/models/rounds/rounds.server';
import { insertDraft, markPublished, syncPublishedSurveys } from '../../app/models/surveys/versions.server';
import { getSurvey } from '../../app/models/surveys/surveys.server';
import { Model } from 'survey-core';
import { buildBase, dropBase, newBaseLocation, testPostgresUrl } from '../helpers/base-db';
import { startApp } from '../e2e/harness';
import { fixtures } from '../respond/helpers';
import { percentile, round, type BenchFigure } from './figure';

const WARMUP = 10;
const REQUESTS = 100;
const BASE_SURVEY = 'aterrapportering-kommun-2018';
const LONG_ID = 'bench-60-fragor-2026';
const QUESTIONS = 60;
/** Idle time between requests, as between real respondents' page loads (not back-to-back). */
const GAP_MS = 50;

type Json = Record<string, unknown> & { pages: { name: string; elements: Record<string, unknown>[] }[] };

/** BASE_SURVEY with question pages repeated (renamed) until it has `questions` questions. */
function longForm(questions: number): Json {
  const base = structuredClone(getSurvey(BASE_SURVEY)!.json) as Json;
  const count = (j: Json) => new Model(j).getAllQuestions().length;
  const out = structuredClone(base);
  // A copy renames every name (and every reference to one in expressions) with a suffix.
  for (let copy = 2; copy < 10 && count(out) < questions; copy++) {
    for (const page of base.pages.slice(1)) {
      if (count(out) >= questions) break;
      let text = JSON.stringify(page);
      const names = new Set([...text.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]));
      for (const n of [...names].sort((a, b) => b.length - a.length)) text = text.replace(new RegExp(`(["{])${n}(["}])`, 'g'), `$1${n}_${copy}$2`);
      out.pages.push(JSON.parse(text));
    }
  }
  // Drop the last page's surplus questions so the count is exact.
  while (count(out) > questions) out.pages.at(-1)!.elements.pop();
  return out;
}

async function timeRequests(url: string, encoding = 'identity'): Promise<{ ms: number[]; bytes: number }> {
  const get = async () => {
    const started = performance.now();
    const res = await fetch(url, { headers: { 'Accept-Encoding': encoding } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return { ms: performance.now() - started, bytes: body.byteLength };
  };
  for (let i = 0; i < WARMUP; i++) await get();
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    const r = await get();
    ms.push(r.ms);
    bytes = r.bytes;
  }
  return { ms, bytes };
}

export async function run(): Promise<BenchFigure[]> {
  const pgUrl = testPostgresUrl();
  delete process.env.DATABASE_URL;
  const base = newBaseLocation();
  await buildBase(base);
  if (pgUrl) process.env.DATABASE_URL = pgUrl;
  const db = createDb({ dialect: 'sqlite', location: base.sqlitePath });
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const json = longForm(QUESTIONS);
    const meta = { ...getSurvey(BASE_SURVEY)!.meta, id: LONG_ID, family: 'bench-60-fragor', year: 2026, title: 'Bench: 60 frågor' };
    await insertDraft(db, { meta, survey: json, userId: null });
    await markPublished(db, LONG_ID, null);
    await syncPublishedSurveys(db);
    const questions = new Model(getSurvey(LONG_ID)!.json).getAllQuestions().length;
    if (questions !== QUESTIONS) throw new Error(`the long form has ${questions} questions, not ${QUESTIONS}`);
    const org = await db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').orderBy('code').executeTakeFirstOrThrow();
    const day = 86_400_000;
    const open = (surveyId: string) =>
      createRound(db, { surveyId, title: `Bench servertid ${surveyId}`, opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + 30 * day).toISOString(), organisationIds: [org.id] });
    const forms = [
      { label: `${QUESTIONS}-question form (${BASE_SURVEY} repeated)`, round: await open(LONG_ID), target: true },
      { label: `${BASE_SURVEY} (43 questions)`, round: await open(BASE_SURVEY), target: false },
    ];
    const figures: BenchFigure[] = [];
    for (const pool of ['on', 'off'] as const) {
      app = await startApp(`file:${base.sqlitePath}`, { JOBS: 'off', ENKATNAV_MODEL_POOL: pool });
      // Saved answers, as a form half-way through: the first page is rendered with them. The
      // first visit creates the response.
      for (const f of forms) {
        await fetch(`${app.url}/svar/${f.round.assignments[0].token}`).then((r) => r.arrayBuffer());
        const updated = await db.updateTable('responses').set({ data: JSON.stringify(fixtures[BASE_SURVEY]) }).where('assignment_id', '=', f.round.assignments[0].id).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Error(`no response for ${f.label}`);
      }
      for (const f of pool === 'on' ? forms : forms.filter((x) => x.target)) {
        const { ms, bytes } = await timeRequests(`${app.url}/svar/${f.round.assignments[0].token}`);
        const p50 = percentile(ms, 50);
        const label = `${f.label}, ${pool === 'on' ? 'models built ahead of time' : 'no model pool'}`;
        figures.push(
          { name: `form page server time p50, ${label}, ${REQUESTS} sequential requests ${GAP_MS} ms apart`, value: round(p50, 1), unit: 'ms', ...(f.target && pool === 'on' ? { target: '≤ 50 ms', met: p50 <= 50 } : {}) },
          { name: `form page server time p99, ${label}`, value: round(percentile(ms, 99), 1), unit: 'ms' },
        );
        if (pool === 'on') figures.push({ name: `form page HTML size, ${f.label}`, value: round(bytes / 1000, 1), unit: 'KB' });
        if (pool === 'on' && f.target) {
          // As a browser asks for it: Brotli from the compression middleware, flushed at the end.
          const br = await timeRequests(`${app.url}/svar/${f.round.assignments[0].token}`, 'br');
          figures.push({ name: `form page server time p50, ${label}, Brotli as browsers ask, ${REQUESTS} requests ${GAP_MS} ms apart`, value: round(percentile(br.ms, 50), 1), unit: 'ms' });
        }
      }
      await app.stop();
      app = undefined;
    }
    return figures;
  } finally {
    await app?.stop();
    await db.destroy();
    await dropBase(base);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${base.sqlitePath}${suffix}`, { force: true });
  }
}
