import { beforeAll, describe, expect, it } from 'vitest';
import { loader as builderLoader } from '../../app/routes/jamfor.ny';
import { createRound } from '../../app/models/rounds/rounds.server';
import { projectResponse } from '../../app/models/analysis/projection.server';
import { setDb } from '../../app/utils/db.server';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callLoader } from '../helpers/request';
import { loadFixture, PROGRAM } from './fixtures';

type Data = Awaited<ReturnType<typeof builderLoader>>;
const STATEMENTS = ['meningsfullt', 'proffsigt', 'givande', 'vasentligt', 'oersattligt', 'ger_legitimitet'];

/** Issue 16 (9): /jamfor/ny covers every population, shows a matrix whole and merges categories. */
describe('/jamfor/ny for every population', () => {
  let t: TestDb;
  let evaluator: TestSession;
  const get = async (query: string) => (await callLoader(builderLoader, `/jamfor/ny?${query}`, { headers: evaluator.headers })) as Data;
  beforeAll(async () => {
    t = await freshDb();
    setDb(t.db);
    await loadFixture(t);
    const persons = Array.from({ length: 43 }, (_, i) => ({ name: `Person ${i + 1}`, email: `p${i + 1}@example.se` }));
    const { assignments } = await createRound(t.db, { surveyId: 'samverkanspartner-2014', title: 'S 2014', opensAt: '2014-10-01', closesAt: '2014-10-31', persons });
    const grades = ['stammer_helt', 'stammer_delvis', 'stammer_inte', 'vet_ej'];
    const now = new Date().toISOString();
    for (const [i, a] of assignments.entries()) {
      const matrix = Object.fromEntries(STATEMENTS.map((s, j) => [s, grades[(i + j) % 4]]));
      const row = await t.db
        .insertInto('responses')
        .values({ assignment_id: a.id, survey_id: 'samverkanspartner-2014', data: JSON.stringify({ samordningen_battre: 'battre', roll_lagesbild: matrix }), version: 1, prefilled_keys: null, last_saved_at: now, last_saved_by: null, submitted_at: now, submitted_by: 'x', reference: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await projectResponse(t.db, row.id);
    }
    evaluator = await signedIn(t.db, 'evaluator');
    return () => t.destroy();
  });

  it('persons: a matrix shown whole, with "positiva omdömen" merged from stämmer helt + delvis', async () => {
    const data = await get('vilka=respondents&enkat=samverkanspartner-2014&fraga=roll_lagesbild&sammanfor=stammer_helt%2C+stammer_delvis+%3D+Positiva+omd%C3%B6men&undertryck=0');
    expect(data.errors).toEqual({});
    expect(data.previewError).toBeNull();
    const r = data.preview!.result;
    expect(r.groups.map((g) => g.key)).toEqual(STATEMENTS);
    expect(r.values.map((v) => v.key)).toEqual(['Positiva omdömen', 'stammer_inte', 'vet_ej']);
    for (const g of r.groups) expect(g.n + g.missing).toBe(43);
    expect(r.total.n).toBe(6 * 43);
    expect(r.policy.suppressionSource).toBe('definition');
    expect(data.choices.surveys.find((s) => s.id === 'samverkanspartner-2014')?.questions.map((q) => q.key)).toContain('roll_lagesbild');
  });

  it('regions and länsstyrelser are populations too; a mismatched survey gets a Swedish error', async () => {
    const regions = await get(`vilka=region&enkat=__belopp__&program=${PROGRAM}&ar=2018`);
    expect(regions.errors).toEqual({});
    expect(regions.preview?.result.measure.kind).toBe('money');
    const wrong = await get('vilka=lansstyrelse&enkat=oj-vinr-2019&fraga=fortbildning_vuxna');
    expect(wrong.errors).toMatchObject({ enkat: 'Enkäten besvaras inte av länsstyrelser.' });
    const persons = await get('vilka=respondents&enkat=oj-vinr-2019&fraga=fortbildning_vuxna');
    expect((persons.errors as Record<string, string>).enkat).toMatch(/besvaras av organisationer/);
    const badMerge = await get('vilka=respondents&enkat=samverkanspartner-2014&fraga=roll_lagesbild&sammanfor=nope%3DX');
    expect(badMerge.errors).toMatchObject({ sammanfor: '"nope" är inte ett svarsalternativ till frågan.' });
  });

  it('a kommun figure has no suppression by default and says so', async () => {
    const data = await get(`enkat=oj-vinr-2019&fraga=rutin_skyddade_uppgifter&grupp=grant&gprogram=${PROGRAM}&gar=2018&slaihop=1`);
    expect(data.preview?.result.suppressBelow).toBe(0);
    expect(data.preview?.result.groups.map((g) => g.percent.ja)).toEqual([43, 10]);
  });
});
