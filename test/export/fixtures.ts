import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AssignmentStatus, Database } from '../../db/schema';
import { createRound } from '~/models/rounds/rounds.server';

export const SURVEY_ID = 'exporttest-2020';

/** A survey with every question type we support, one of each. */
export const EVERY_TYPE_SURVEY = {
  meta: {
    id: SURVEY_ID,
    family: 'exporttest',
    year: 2020,
    title: 'Exporttest 2020',
    audience: ['kommun'],
    description: 'Alla frågetyper, för exporttesterna.',
    defaultDeadline: '05-31',
    source: 'test',
  },
  survey: {
    pages: [
      {
        name: 'sida1',
        elements: [
          { type: 'radiogroup', name: 'val', title: 'Välj ett', choices: [{ value: 'a', text: 'Alfa' }, { value: 'b', text: 'Beta' }], showOtherItem: true },
          { type: 'checkbox', name: 'flera', title: 'Välj flera', choices: [{ value: 'x', text: 'Ex' }, { value: 'y', text: 'Yps' }, { value: 'z', text: 'Zeta' }] },
          { type: 'dropdown', name: 'lista', title: 'Lista', choices: [{ value: 'sv', text: 'Svenska' }, { value: 'en', text: 'Engelska' }] },
          { type: 'boolean', name: 'bool', title: 'Ja eller nej' },
          { type: 'text', name: 'antal', title: 'Antal', inputType: 'number' },
          { type: 'text', name: 'namn', title: 'Namn' },
          { type: 'comment', name: 'kommentar', title: 'Kommentar' },
          { type: 'rating', name: 'betyg', title: 'Betyg', rateMin: 1, rateMax: 5 },
          { type: 'expression', name: 'dubbelt', title: 'Dubbla antalet', expression: '{antal} * 2' },
        ],
      },
      {
        name: 'sida2',
        elements: [
          { type: 'matrix', name: 'matris', title: 'Matris', rows: [{ value: 'r1', text: 'Rad ett' }, { value: 'r2', text: 'Rad två' }], columns: [{ value: 'bra', text: 'Bra' }, { value: 'dalig', text: 'Dålig' }] },
          {
            type: 'matrixdropdown',
            name: 'md',
            title: 'Tabell',
            rows: [{ value: 'r1', text: 'Rad ett' }, { value: 'r2', text: 'Rad två' }],
            columns: [
              { name: 'typ', title: 'Typ', cellType: 'dropdown', choices: [{ value: 'k', text: 'Kort' }, { value: 'l', text: 'Lång' }] },
              { name: 'tal', title: 'Tal', cellType: 'text', inputType: 'number' },
            ],
          },
          { type: 'multipletext', name: 'mt', title: 'Flera fält', items: [{ name: 'fornamn', title: 'Förnamn' }, { name: 'alder', title: 'Ålder', inputType: 'number' }] },
          { type: 'paneldynamic', name: 'pd', title: 'Barn', templateElements: [{ type: 'text', name: 'barnnamn', title: 'Barnets namn' }] },
        ],
      },
    ],
  },
};

/** Writes the survey into a temporary SURVEYS_DIR and points the survey module at it. */
export function useEveryTypeSurvey(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-export-surveys-'));
  fs.writeFileSync(path.join(dir, `${SURVEY_ID}.json`), JSON.stringify(EVERY_TYPE_SURVEY));
  const before = process.env.SURVEYS_DIR;
  process.env.SURVEYS_DIR = dir;
  return () => {
    if (before === undefined) delete process.env.SURVEYS_DIR;
    else process.env.SURVEYS_DIR = before;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** A full answer set, with formula-looking text in every free-text place. */
export const FULL_ANSWERS = {
  val: 'other',
  'val-Comment': '=HYPERLINK("http://evil.example","klick")',
  flera: ['x', 'z'],
  lista: 'en',
  bool: true,
  antal: -2,
  namn: '+1',
  kommentar: '@SUM(A1:A3)',
  betyg: 4,
  dubbelt: -4,
  matris: { r1: 'bra', r2: 'dalig' },
  md: { r1: { typ: 'k', tal: 3 }, r2: { typ: 'l', tal: -7 } },
  mt: { fornamn: '\tx', alder: 41 },
  pd: [{ barnnamn: '\rx' }, { barnnamn: 'Lisa' }],
};

/** A second, sparse answer set: unanswered questions must export as empty cells, not 0. */
export const SPARSE_ANSWERS = { val: 'b', bool: false, namn: '-2' };

/** A round of the survey for kommuner 0114 and 0180, with responses stored as given. */
export async function roundWithResponses(db: Kysely<Database>, answers: { code: string; data: Record<string, unknown>; status: AssignmentStatus }[]) {
  const orgs = await db.selectFrom('organisations').select(['id', 'code']).where('code', 'in', answers.map((a) => a.code)).execute();
  const now = Date.now();
  const { round, assignments } = await createRound(db, {
    surveyId: SURVEY_ID,
    title: 'Exportomgång',
    opensAt: new Date(now - 86_400_000).toISOString(),
    closesAt: new Date(now + 30 * 86_400_000).toISOString(),
    organisationIds: orgs.map((o) => o.id),
  });
  const iso = new Date().toISOString();
  for (const a of answers) {
    const orgId = orgs.find((o) => o.code === a.code)!.id;
    const assignment = assignments.find((x) => x.organisationId === orgId)!;
    await db.updateTable('assignments').set({ status: a.status }).where('id', '=', assignment.id).execute();
    await db
      .insertInto('responses')
      .values({
        assignment_id: assignment.id, survey_id: SURVEY_ID, data: JSON.stringify(a.data), version: 2, prefilled_keys: null,
        last_saved_at: iso, last_saved_by: 'Anna', submitted_at: a.status === 'submitted' ? iso : null, submitted_by: a.status === 'submitted' ? 'Anna Berg' : null,
        submitted_email: null, reference: null, created_at: iso, updated_at: iso,
      })
      .execute();
  }
  return round;
}
