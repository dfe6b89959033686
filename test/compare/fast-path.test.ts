import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { projectResponse } from '../../app/models/analysis/projection.server';
import { computeComparison } from '../../app/models/comparisons/compute.server';
import { fastPathApplies, fastPathTuning } from '../../app/models/comparisons/fast.server';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { freshDb, type TestDb } from '../helpers/db';

/**
 * The fast path (app/models/comparisons/fast.server.ts) must give exactly what the general SQL
 * gives. A seeded random fixture with the awkward cases (inactive organisations, other kinds,
 * missing attributes and ledger rows, unsubmitted and unanswered invitations, respondents without
 * an organisation, answers from outside the population) is compared both ways, whole result.
 */

const PROGRAM = 'slump-medel';
const STATUSES = ['ej_rekvirerat', 'forbrukat', 'aterbetalt'] as const;

function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function buildFixture(db: Kysely<Database>, seed: number) {
  const r = random(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const subset = <T,>(xs: readonly T[]) => xs.filter(() => r() < 0.35);
  const now = new Date().toISOString();
  const lan = (await db.selectFrom('lan').select('code').execute()).map((l) => l.code);
  for (let i = 0; i < 25; i++)
    await db
      .insertInto('organisations')
      .values({ kind: 'region', code: `R${i}`, name: `Region ${i}`, lan_code: pick(lan), kommungrupp2017_code: null, population: Math.floor(r() * 400_000), active: 1, created_at: now, updated_at: now })
      .execute();
  const orgs = await db.selectFrom('organisations').select(['id', 'kind']).orderBy('id').execute();
  for (const o of orgs) {
    const roll = r();
    const patch =
      roll < 0.08 ? { active: 0 } : roll < 0.12 ? { population: null } : roll < 0.16 ? { kommungrupp2023_code: null } : roll < 0.19 ? { lan_code: null } : null;
    if (patch) await db.updateTable('organisations').set(patch).where('id', '=', o.id).execute();
    for (const year of [2017, 2018]) {
      if (r() < 0.15) continue; // no ledger row
      const status = pick(STATUSES);
      const allocated = status === 'ej_rekvirerat' ? 0 : 1000;
      const used = status === 'forbrukat' ? 700 : 0;
      await db
        .insertInto('grants')
        .values({ organisation_id: o.id, program: PROGRAM, year, status, allocated_sek: allocated, used_sek: used, repaid_sek: allocated - used, created_at: now, updated_at: now })
        .execute();
    }
  }

  let token = 0;
  const invite = async (roundId: number, surveyId: string, organisationId: number | null, answers: [string, string][] | null, person = false) => {
    const a = await db
      .insertInto('assignments')
      .values({ round_id: roundId, organisation_id: organisationId, person_email: person ? `p${token}@example.org` : null, status: answers ? 'submitted' : 'draft', token_hash: `slump-${seed}-${++token}`, token_nonce: 'n', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!answers) return;
    const response = await db
      .insertInto('responses')
      .values({ assignment_id: a.id, survey_id: surveyId, data: '{}', version: 1, submitted_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [question, value] of answers)
      await db.insertInto('answer_values').values({ response_id: response.id, survey_id: surveyId, organisation_id: organisationId, question, value, num: null }).execute();
  };
  const round = async (surveyId: string) =>
    (await db.insertInto('rounds').values({ survey_id: surveyId, title: surveyId, opens_at: now, closes_at: now, reminder_schedule: '[]', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;

  // Organisation surveys: one invitation per organisation (kommun or region), some not submitted.
  const oj = await round('oj-vinr-2019');
  const ater = await round('aterrapportering-kommun-2018');
  for (const o of orgs) {
    if (r() < 0.9) await invite(oj, 'oj-vinr-2019', o.id, r() < 0.15 ? null : r() < 0.1 ? [] : [['fortbildning_vuxna', pick(['ja', 'nej'])], ['fortbildning_barn', pick(['ja', 'nej'])]]);
    if (r() < 0.9) await invite(ater, 'aterrapportering-kommun-2018', o.id, r() < 0.15 ? null : subset(['intern', 'extern']).map((v) => ['samverkan', v]));
  }
  // A person survey, split over two rounds: several respondents per organisation, some with none.
  const persons = [await round('malgrupp-samordnare-2026'), await round('malgrupp-samordnare-2026')];
  for (let i = 0; i < 700; i++) {
    const answers: [string, string][] = [
      ...(r() < 0.9 ? [['nya_metoder', pick(['ja', 'nej', 'vet_ej'])] as [string, string]] : []),
      ...subset(['dialog_besok', 'hearing_konferens', 'natverk']).map((v) => ['deltagit_insatser', v] as [string, string]),
    ];
    await invite(pick(persons), 'malgrupp-samordnare-2026', r() < 0.1 ? null : pick(orgs).id, r() < 0.2 ? null : answers, true);
  }
}

const GROUPINGS = [
  undefined,
  { grant: { program: PROGRAM, year: 2018 }, map: { forbrukat: 'Använt', ej_rekvirerat: 'Inte använt', aterbetalt: 'Inte använt' } },
  { grant: { program: PROGRAM, year: 2017 } },
  { attribute: 'lan' },
  { attribute: 'kommungrupp2017' },
  { attribute: 'kommungrupp2023' },
  { attribute: 'sizeClass' },
];
const MEASURES = [
  { population: { kind: 'kommun' }, measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' }, fast: true },
  { population: { kind: 'region' }, measure: { survey: 'oj-vinr-2019', question: 'fortbildning_barn' }, fast: true },
  { population: { kind: 'kommun' }, measure: { survey: 'aterrapportering-kommun-2018', question: 'samverkan' }, fast: true },
  { population: { kind: 'respondents' }, measure: { survey: 'malgrupp-samordnare-2026', question: 'nya_metoder' }, fast: true },
  { population: { kind: 'respondents' }, measure: { survey: 'malgrupp-samordnare-2026', question: 'deltagit_insatser' }, fast: false },
];

async function both(db: Kysely<Database>, json: unknown) {
  const def = parseDefinition(json);
  const settle = (path: 'auto' | 'general') =>
    computeComparison(db, def, { path }).then(
      (result) => ({ result }),
      (e: Error) => ({ error: e.message }),
    );
  return { def, fast: await settle('auto'), general: await settle('general') };
}

// Seed 4 forces SQLite's count-per-key variant (used above 64 rows per organisation, i.e. at
// a million answers) onto the small fixture, so it is held to the same results.
describe.each([
  { seed: 1, denseRowsPerKey: 64 },
  { seed: 2, denseRowsPerKey: 64 },
  { seed: 3, denseRowsPerKey: 64 },
  { seed: 4, denseRowsPerKey: 0 },
])('fast path = general SQL on a random fixture (seed $seed, count per key from $denseRowsPerKey rows)', ({ seed, denseRowsPerKey }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb();
    await buildFixture(t.db, seed);
    const usual = fastPathTuning.denseRowsPerKey;
    fastPathTuning.denseRowsPerKey = denseRowsPerKey;
    return async () => {
      fastPathTuning.denseRowsPerKey = usual;
      await t.destroy();
    };
  });

  it.each(MEASURES.flatMap((m) => GROUPINGS.map((g) => ({ ...m, groupBy: g, name: `${m.measure.question} / ${m.population.kind} by ${JSON.stringify(g ?? 'riket')}` }))))(
    '$name',
    async ({ population, measure, groupBy, fast }) => {
      const { def, fast: a, general: b } = await both(t.db, { title: 'Slump', population, measure, groupBy, suppressBelow: 3 });
      expect(fastPathApplies(def, measure.question === 'samverkan' || measure.question === 'deltagit_insatser' ? 'multiple' : 'single')).toBe(fast);
      expect(a).toEqual(b);
      // The comparison is not empty: every invited member is counted, as answer or missing.
      if ('result' in a) expect(a.result.total.n + a.result.total.missing).toBeGreaterThan(0);
    },
  );
});

describe('projection of person surveys', () => {
  it('keeps every respondent of one organisation (only organisation surveys count once per organisation)', async () => {
    const t = await freshDb();
    try {
      const now = new Date().toISOString();
      const org = await t.db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').executeTakeFirstOrThrow();
      const roundFor = async (surveyId: string) =>
        (await t.db.insertInto('rounds').values({ survey_id: surveyId, title: surveyId, opens_at: now, closes_at: now, reminder_schedule: '[]', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
      const submit = async (roundId: number, surveyId: string, data: object, n: number) => {
        const a = await t.db
          .insertInto('assignments')
          .values({ round_id: roundId, organisation_id: org.id, person_email: `p${n}@example.org`, status: 'submitted', token_hash: `p-${surveyId}-${n}`, token_nonce: 'n', created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        const r = await t.db
          .insertInto('responses')
          .values({ assignment_id: a.id, survey_id: surveyId, data: JSON.stringify(data), version: 1, submitted_at: now, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await projectResponse(t.db, r.id);
      };
      const persons = await roundFor('malgrupp-samordnare-2026');
      for (const [n, value] of ['ja', 'nej', 'ja'].entries()) await submit(persons, 'malgrupp-samordnare-2026', { nya_metoder: value }, n);
      const rows = await t.db.selectFrom('answer_values').select('value').where('survey_id', '=', 'malgrupp-samordnare-2026').execute();
      expect(rows.map((r) => r.value).sort()).toEqual(['ja', 'ja', 'nej']);
      // An organisation survey answered twice (two rounds) still counts the organisation once.
      for (const [n, value] of ['ja', 'nej'].entries()) await submit(await roundFor('oj-vinr-2019'), 'oj-vinr-2019', { fortbildning_vuxna: value }, n);
      const ojRows = await t.db.selectFrom('answer_values').select('value').where('survey_id', '=', 'oj-vinr-2019').where('question', '=', 'fortbildning_vuxna').execute();
      expect(ojRows.map((r) => r.value)).toEqual(['nej']);
    } finally {
      await t.destroy();
    }
  });
});
