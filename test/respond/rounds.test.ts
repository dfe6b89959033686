import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accessLink,
  accessToken,
  addAssignments,
  closeRound,
  createRound,
  deadlineOf,
  editStateOf,
  extendAssignment,
  extendRound,
  findAssignmentByToken,
  rotateAccessToken,
  RoundInputError,
  roundPhaseOf,
  tokenHash,
} from '~/models/rounds/rounds.server';
import { freshDb, type TestDb } from '../helpers/db';
import { openRound, orgIds } from './helpers';

describe('rounds and assignments', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('creates one assignment per organisation with a secret link whose hash only is stored', async () => {
    const { round, assignments } = await openRound(t.db, 'oj-vinr-2019', ['0180', '2584', '1480']);
    expect(round.survey_id).toBe('oj-vinr-2019');
    expect(JSON.parse(round.reminder_schedule)).toEqual([-14, -3, 2]);
    expect(assignments).toHaveLength(3);
    const rows = await t.db.selectFrom('assignments').selectAll().where('round_id', '=', round.id).orderBy('id').execute();
    for (const a of assignments) {
      // 256-bit HMAC in base64url: 43 characters.
      expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = rows.find((r) => r.id === a.id)!;
      expect(row.status).toBe('not_started');
      expect(row.token_hash).toBe(tokenHash(a.token));
      expect(row.token_nonce).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(row)).not.toContain(a.token);
      // The admin can recompute the link for a reminder.
      expect(accessToken(row)).toBe(a.token);
      expect(accessLink(row, 'https://enkat.example.se/')).toBe(`https://enkat.example.se/svar/${a.token}`);
      expect((await findAssignmentByToken(t.db, a.token))?.id).toBe(a.id);
    }
    expect(new Set(assignments.map((a) => a.token)).size).toBe(3);
  });

  it('finds nothing for malformed, unknown or rotated tokens', async () => {
    const { assignments } = await openRound(t.db, 'oj-vinr-2019', ['0180']);
    expect(await findAssignmentByToken(t.db, '')).toBeUndefined();
    expect(await findAssignmentByToken(t.db, 'x'.repeat(43))).toBeUndefined();
    expect(await findAssignmentByToken(t.db, `${assignments[0].token}a`)).toBeUndefined();
    expect(await findAssignmentByToken(t.db, "' or 1=1 --")).toBeUndefined();
    const fresh = await rotateAccessToken(t.db, assignments[0].id);
    expect(fresh).not.toBe(assignments[0].token);
    expect(await findAssignmentByToken(t.db, assignments[0].token)).toBeUndefined();
    expect((await findAssignmentByToken(t.db, fresh))?.id).toBe(assignments[0].id);
  });

  it('adds organisations without duplicates and invites persons for person surveys', async () => {
    const { round } = await openRound(t.db, 'oj-vinr-2019', ['0180']);
    const added = await addAssignments(t.db, round.id, { organisationIds: await orgIds(t.db, ['0180', '2584']) });
    expect(added.map((a) => a.organisationId)).toEqual(await orgIds(t.db, ['2584']));
    const persons = await createRound(t.db, {
      surveyId: 'samverkanspartner-2014',
      title: 'Samverkanspartner',
      opensAt: '2014-10-01',
      closesAt: '2014-10-31',
      persons: [
        { name: 'Anna A', email: 'Anna@Example.se' },
        { name: 'Bo B', email: 'bo@example.se' },
      ],
    });
    expect(persons.assignments.map((a) => a.personEmail)).toEqual(['anna@example.se', 'bo@example.se']);
    await expect(addAssignments(t.db, round.id, { persons: [{ name: 'X', email: 'not-an-address' }] })).rejects.toThrow(RoundInputError);
    await expect(createRound(t.db, { surveyId: 'oj-vinr-2019', title: 'x', opensAt: '2019-03-01', closesAt: '2019-01-01' })).rejects.toThrow('closesAt must be after opensAt');
    await expect(createRound(t.db, { surveyId: 'oj-vinr-2019', title: ' ', opensAt: '2019-01-01', closesAt: '2019-03-01' })).rejects.toThrow('title');
  });

  it('computes deadlines and edit states, and extends and closes with before/after', async () => {
    const { round, assignments } = await openRound(t.db, 'oj-vinr-2019', ['0180'], { closesAt: '2019-03-15T22:59:59Z', opensAt: '2019-01-23T00:00:00Z' });
    const a = (await findAssignmentByToken(t.db, assignments[0].token))!;
    expect(deadlineOf(round, a)).toBe('2019-03-15T22:59:59.000Z');
    expect(editStateOf(round, a, new Date('2019-01-01'))).toBe('not_open');
    expect(editStateOf(round, a, new Date('2019-02-01'))).toBe('open');
    expect(editStateOf(round, a, new Date('2019-03-16'))).toBe('closed');
    expect(['2019-01-01', '2019-02-01', '2019-03-16'].map((d) => roundPhaseOf(round, new Date(d)))).toEqual(['not_open', 'open', 'past_deadline']);
    expect(roundPhaseOf({ ...round, closed_at: '2019-02-01T00:00:00Z' }, new Date('2019-02-02'))).toBe('closed');

    const ext = await extendAssignment(t.db, a.id, '2019-03-31T12:00:00Z');
    expect(ext.before.extended_until).toBeNull();
    expect(ext.after.extended_until).toBe('2019-03-31T12:00:00.000Z');
    expect(editStateOf(round, ext.after, new Date('2019-03-20'))).toBe('open');
    expect(deadlineOf(round, ext.after)).toBe('2019-03-31T12:00:00.000Z');

    const later = await extendRound(t.db, round.id, '2019-04-30T12:00:00Z');
    expect(later.before.closes_at).toBe(round.closes_at);
    expect(deadlineOf(later.after, ext.after)).toBe('2019-04-30T12:00:00.000Z');

    const closed = await closeRound(t.db, round.id, '2019-03-01T00:00:00Z');
    expect(closed.before.closed_at).toBeNull();
    expect(editStateOf(closed.after, ext.after, new Date('2019-03-02'))).toBe('closed');
    expect(editStateOf(closed.after, { ...ext.after, status: 'reopened' }, new Date('2019-03-02'))).toBe('open');
    expect(editStateOf(closed.after, { ...ext.after, status: 'submitted' }, new Date('2019-02-02'))).toBe('submitted');
  });
});
