import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as index from '~/routes/admin._index';
import * as contactsRoute from '~/routes/admin.kontakter';
import * as recipients from '~/routes/admin.omgangar.mottagare';
import * as newRound from '~/routes/admin.omgangar.ny';
import * as status from '~/routes/admin.omgangar.$id';
import * as missing from '~/routes/admin.omgangar.$id.saknade';
import * as detail from '~/routes/admin.omgangar.$id_.svar.$assignmentId';
import { setDb } from '~/utils/db.server';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { answerAndSubmit, ojRound, statusFixture } from './fixtures';

type StatusData = Awaited<ReturnType<typeof status.loader>>;

describe('admin routes', () => {
  let t: TestDb;
  let admin: TestSession;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    admin = await signedIn(t.db, 'admin', { email: 'admin@myndighet.se' });
  });
  afterEach(async () => t.destroy());

  const post = (form: Record<string, string>, session = admin) => ({ headers: session.headers, body: formData({ csrf: session.csrf, ...form }) });

  it('status view: rates, filters from GET params, pages and 404', async () => {
    const round = await statusFixture(t.db);
    const params = { id: String(round.id) };
    const all = (await callLoader(status.loader, `/admin/omgangar/${round.id}`, { params, headers: admin.headers })) as StatusData;
    expect(all.rates.overall).toMatchObject({ total: 34, submitted: 4 });
    expect(all.page.total).toBe(34);
    const filtered = (await callLoader(status.loader, `/admin/omgangar/${round.id}?status=missing&lan=03&kg=A2`, { params, headers: admin.headers })) as StatusData;
    expect(filtered.page.rows.map((r) => [r.code, r.status])).toEqual([['0305', 'draft']]);
    // Stockholms län, A2: 22 kommuner, of which 0114 and 0115 have submitted.
    const sthlmA2 = (await callLoader(status.loader, `/admin/omgangar/${round.id}?status=missing&lan=01&kg=A2`, { params, headers: admin.headers })) as StatusData;
    expect(sthlmA2.page.total).toBe(20);
    expect(sthlmA2.page.rows.map((r) => r.code)).not.toContain('0114');
    // Bad filter values are ignored rather than failing.
    const stale = (await callLoader(status.loader, `/admin/omgangar/${round.id}?status=bogus&lan=x&sida=-3`, { params, headers: admin.headers })) as StatusData;
    expect(stale.page.total).toBe(34);
    const notFound = (await callLoader(status.loader, '/admin/omgangar/999', { params: { id: '999' }, headers: admin.headers })) as Response;
    expect(notFound.status).toBe(404);
  });

  it('every admin loader and action answers 403 to respondents and evaluators, and sends strangers to sign in', async () => {
    const round = await statusFixture(t.db);
    const a = await t.db.selectFrom('assignments').select('id').where('round_id', '=', round.id).executeTakeFirstOrThrow();
    const params = { id: String(round.id), assignmentId: String(a.id) };
    const loaders = [
      [index.loader, '/admin'],
      [newRound.loader, '/admin/omgangar/ny'],
      [recipients.loader, '/admin/omgangar/mottagare?kind=kommun'],
      [status.loader, `/admin/omgangar/${round.id}`],
      [missing.loader, `/admin/omgangar/${round.id}/saknade?format=csv`],
      [detail.loader, `/admin/omgangar/${round.id}/svar/${a.id}`],
      [contactsRoute.loader, '/admin/kontakter'],
    ] as const;
    const actions = [
      [newRound.action, '/admin/omgangar/ny', { survey: 'oj-vinr-2019', intent: 'create' }],
      [status.action, `/admin/omgangar/${round.id}`, { intent: 'close', confirm: 'yes' }],
      [detail.action, `/admin/omgangar/${round.id}/svar/${a.id}`, { intent: 'reopen', reason: 'because' }],
      [contactsRoute.action, '/admin/kontakter', {}],
    ] as const;
    for (const role of ['respondent', 'evaluator'] as const) {
      const user = await signedIn(t.db, role);
      for (const [loader, url] of loaders) {
        const res = (await callLoader(loader as never, url, { params, headers: user.headers })) as Response;
        expect(res.status, `${role} GET ${url}`).toBe(403);
      }
      for (const [action, url, form] of actions) {
        const res = (await callAction(action as never, url, { params, ...post(form, user) })) as Response;
        expect(res.status, `${role} POST ${url}`).toBe(403);
      }
    }
    for (const [loader, url] of loaders) {
      const res = (await callLoader(loader as never, url, { params })) as Response;
      expect(res.status, `anonymous GET ${url}`).toBe(302);
      expect(res.headers.get('Location')).toMatch(/^\/logga-in\?redirectTo=/);
    }
    expect((await t.db.selectFrom('rounds').select('closed_at').executeTakeFirstOrThrow()).closed_at).toBeNull();
  });

  it('refuses a state-changing request without a CSRF token or from a foreign Origin', async () => {
    const round = await statusFixture(t.db);
    const params = { id: String(round.id) };
    const noToken = (await callAction(status.action, `/admin/omgangar/${round.id}`, { params, headers: admin.headers, body: formData({ intent: 'close', confirm: 'yes' }) })) as Response;
    expect(noToken.status).toBe(403);
    const foreign = (await callAction(status.action, `/admin/omgangar/${round.id}`, {
      params,
      headers: { ...admin.headers, Origin: 'https://evil.example' },
      body: formData({ csrf: admin.csrf, intent: 'close', confirm: 'yes' }),
    })) as Response;
    expect(foreign.status).toBe(403);
    expect((await t.db.selectFrom('rounds').select('closed_at').executeTakeFirstOrThrow()).closed_at).toBeNull();
  });

  it('live recipient count and unknown codes', async () => {
    const count = async (query: string) => (await ((await callLoader(recipients.loader, `/admin/omgangar/mottagare?${query}`, { headers: admin.headers })) as Response).json()) as { count: number; unknownCodes: string[] };
    expect(await count('kind=kommun&lan=01&lan=03')).toMatchObject({ count: 34, unknownCodes: [] });
    expect(await count('kind=kommun&kg=A1')).toMatchObject({ count: 3 });
    expect(await count(`targetMode=codes&codes=${encodeURIComponent('0114, 0180\n9999 abc')}`)).toMatchObject({ count: 2, unknownCodes: ['9999', 'abc'] });
  });

  it('creates a round from the form, audited; a bad form gets Swedish field errors and creates nothing', async () => {
    const base = { survey: 'oj-vinr-2019', title: 'ÖJ 2019', opens: '2019-01-23', closes: '2019-03-15', reminders: '-14, -3, 2', contactText: '', targetMode: 'filter', kind: 'kommun' };
    const bad = (await callAction(newRound.action, '/admin/omgangar/ny', post({ ...base, title: ' ', closes: '2019-01-01', targetMode: 'codes', codes: '0114 9999', intent: 'create' }))) as Response;
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.errors).toEqual({
      title: 'Ange en titel för omgången.',
      closes: 'Sista svarsdag måste vara efter öppningsdatum.',
      codes: 'Okända koder: 9999. Rätta eller ta bort dem.',
    });
    expect(body.preview).toMatchObject({ count: 1, unknownCodes: ['9999'] });

    const preview = (await callAction(newRound.action, '/admin/omgangar/ny', { headers: admin.headers, body: formData({ csrf: admin.csrf, ...base, intent: 'preview' }, { lan: ['01', '03'] }) })) as Response;
    expect(await preview.json()).toMatchObject({ previewOnly: true, preview: { count: 34 } });
    expect(await t.db.selectFrom('rounds').select('id').execute()).toEqual([]);

    const created = (await callAction(newRound.action, '/admin/omgangar/ny', { headers: admin.headers, body: formData({ csrf: admin.csrf, ...base, intent: 'create' }, { lan: ['01', '03'] }) })) as Response;
    expect(created.status).toBe(302);
    const id = Number(created.headers.get('Location')!.match(/omgangar\/(\d+)/)![1]);
    expect((await t.db.selectFrom('assignments').select('id').where('round_id', '=', id).execute()).length).toBe(34);
    const log = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'round.create').executeTakeFirstOrThrow();
    expect(log).toMatchObject({ actor_user_id: admin.user.id, entity_id: String(id) });
  });

  it('creates a round from an uploaded codes file', async () => {
    const fd = formData({ csrf: admin.csrf, survey: 'oj-vinr-2019', title: 'ÖJ', opens: '2019-01-23', closes: '2019-03-15', reminders: '-3', contactText: '', targetMode: 'codes', codes: '', intent: 'create' });
    fd.append('codesFile', new File(['org\n0114\n180\n'], 'koder.csv', { type: 'text/csv' }));
    const res = (await callAction(newRound.action, '/admin/omgangar/ny', { headers: admin.headers, body: fd })) as Response;
    expect(res.status).toBe(302);
    expect((await t.db.selectFrom('assignments').select('id').execute()).length).toBe(2);
    expect((await t.db.selectFrom('rounds').select('reminder_schedule').executeTakeFirstOrThrow()).reminder_schedule).toBe('[-3]');
  });

  it('creates a person-survey round from pasted name,email lines and names the bad lines', async () => {
    const base = { survey: 'samverkanspartner-2014', title: 'Samverkan 2014', opens: '2014-09-01', closes: '2014-10-15', reminders: '-3', contactText: 'Ring Lisa, 08-123 45', intent: 'create' };
    const bad = (await callAction(newRound.action, '/admin/omgangar/ny', post({ ...base, persons: 'Anna Berg, anna@lst.se\nbara ett namn\nBo Ek; bo@polisen.se' }))) as Response;
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.errors.persons).toMatch(/1 rader är inte namn och e-postadress/);
    expect(body.preview.badPersonLines).toEqual([{ line: 2, text: 'bara ett namn' }]);
    const ok = (await callAction(newRound.action, '/admin/omgangar/ny', post({ ...base, persons: 'namn,e-post\nAnna Berg, anna@lst.se\nBo Ek; BO@polisen.se' }))) as Response;
    expect(ok.status).toBe(302);
    const rows = await t.db.selectFrom('assignments').select(['person_name', 'person_email', 'organisation_id']).orderBy('person_name').execute();
    expect(rows).toEqual([
      { person_name: 'Anna Berg', person_email: 'anna@lst.se', organisation_id: null },
      { person_name: 'Bo Ek', person_email: 'bo@polisen.se', organisation_id: null },
    ]);
    expect((await t.db.selectFrom('rounds').select('contact_text').executeTakeFirstOrThrow()).contact_text).toBe('Ring Lisa, 08-123 45');
  });

  it('extends and closes a round, audited with before and after', async () => {
    const round = await statusFixture(t.db);
    const params = { id: String(round.id) };
    const bad = (await callAction(status.action, `/admin/omgangar/${round.id}`, { params, ...post({ intent: 'extend', closes: 'snart' }) })) as Response;
    expect(bad.status).toBe(400);
    const ok = await callAction(status.action, `/admin/omgangar/${round.id}`, { params, ...post({ intent: 'extend', closes: '2099-06-30' }) });
    expect(ok).toMatchObject({ ok: true });
    expect((await t.db.selectFrom('rounds').select('closes_at').executeTakeFirstOrThrow()).closes_at).toBe('2099-06-30T21:59:59.000Z');
    const unconfirmed = (await callAction(status.action, `/admin/omgangar/${round.id}`, { params, ...post({ intent: 'close' }) })) as Response;
    expect(unconfirmed.status).toBe(400);
    await callAction(status.action, `/admin/omgangar/${round.id}`, { params, ...post({ intent: 'close', confirm: 'yes', reason: 'Alla har svarat' }) });
    expect((await t.db.selectFrom('rounds').select('closed_at').executeTakeFirstOrThrow()).closed_at).toBeTruthy();
    const log = await t.db.selectFrom('audit_log').select(['action', 'before', 'after', 'reason']).where('entity', '=', 'round').orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['round.extend', 'round.close']);
    expect(JSON.parse(log[0].after!)).toEqual({ closes_at: '2099-06-30T21:59:59.000Z' });
    expect(log[1].reason).toBe('Alla har svarat');
  });

  it('sends invitations to contacts and reports the ones without an address', async () => {
    const round = await statusFixture(t.db);
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '0114').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await t.db.insertInto('contacts').values({ organisation_id: org.id, name: 'Anna', email: 'anna@upplandsvasby.se', role: null, created_at: now, updated_at: now }).execute();
    const org2 = await t.db.selectFrom('organisations').select('id').where('code', '=', '0117').executeTakeFirstOrThrow();
    await t.db.insertInto('contacts').values({ organisation_id: org2.id, name: 'Olle', email: 'olle@osteraker.se', role: null, created_at: now, updated_at: now }).execute();
    const res = (await callAction(status.action, `/admin/omgangar/${round.id}`, { params: { id: String(round.id) }, ...post({ intent: 'invite' }) })) as { ok: boolean; message: string };
    // 0114 is submitted in the fixture; invitations go to the not-submitted only.
    expect(res.message).toMatch(/^1 inbjudan lades i utkorgen\. 29 saknar e-postadress/);
    const outbox = await t.db.selectFrom('outbox').select(['to_address', 'kind']).where('kind', '=', 'invitation').execute();
    expect(outbox).toEqual([{ to_address: 'olle@osteraker.se', kind: 'invitation' }]);
  });

  it('reopens a submitted response with a reason and restores an earlier version, audited', async () => {
    const { round, assignments } = await ojRound(t.db);
    const target = assignments[0];
    const { responseId } = await answerAndSubmit(t.db, target.token);
    const params = { id: String(round.id), assignmentId: String(target.id) };
    const url = `/admin/omgangar/${round.id}/svar/${target.id}`;

    const noReason = (await callAction(detail.action, url, { params, ...post({ intent: 'reopen', reason: '' }) })) as Response;
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).field).toBe('reason');
    const restoreSubmitted = (await callAction(detail.action, url, { params, ...post({ intent: 'restore', version: '1' }) })) as Response;
    expect(restoreSubmitted.status).toBe(409);

    expect(await callAction(detail.action, url, { params, ...post({ intent: 'reopen', reason: 'Kommunen rättar ekonomin' }) })).toMatchObject({ ok: true });
    expect((await t.db.selectFrom('assignments').select('status').where('id', '=', target.id).executeTakeFirstOrThrow()).status).toBe('reopened');
    const again = (await callAction(detail.action, url, { params, ...post({ intent: 'reopen', reason: 'igen' }) })) as Response;
    expect(again.status).toBe(409);

    const page = (await callLoader(detail.loader, url, { params, headers: admin.headers })) as Awaited<ReturnType<typeof detail.loader>>;
    expect(page.revisions.map((r) => r.kind)).toEqual(['reopen', 'submit', 'draft', 'prefill']);
    expect(page.history).toMatchObject([{ action: 'response.reopen', by: 'admin@myndighet.se', reason: 'Kommunen rättar ekonomin' }]);

    expect(await callAction(detail.action, url, { params, ...post({ intent: 'restore', version: '1' }) })).toMatchObject({ ok: true });
    const response = await t.db.selectFrom('responses').select(['data']).where('id', '=', responseId).executeTakeFirstOrThrow();
    expect(JSON.parse(response.data)).toEqual({ fortbildning_vuxna: 'nej' });
    const log = await t.db.selectFrom('audit_log').select(['action', 'reason', 'actor_user_id']).where('action', 'like', 'response.%').orderBy('id').execute();
    expect(log).toEqual([
      { action: 'response.reopen', reason: 'Kommunen rättar ekonomin', actor_user_id: admin.user.id },
      { action: 'response.restore', reason: null, actor_user_id: admin.user.id },
    ]);
  });

  it('extends one assignment', async () => {
    const { round, assignments } = await ojRound(t.db);
    const params = { id: String(round.id), assignmentId: String(assignments[1].id) };
    await callAction(detail.action, '/x', { params, ...post({ intent: 'extend', until: '2099-01-15' }) });
    const a = await t.db.selectFrom('assignments').select('extended_until').where('id', '=', assignments[1].id).executeTakeFirstOrThrow();
    expect(a.extended_until).toBe('2099-01-15T22:59:59.000Z');
    expect((await t.db.selectFrom('audit_log').select('action').where('entity', '=', 'assignment').execute()).map((r) => r.action)).toEqual(['assignment.extend']);
    // An assignment of another round is not reachable through this round's URL.
    const other = (await callLoader(detail.loader, '/x', { params: { id: String(round.id + 1), assignmentId: String(assignments[1].id) }, headers: admin.headers })) as Response;
    expect(other.status).toBe(404);
  });

  it('exports the missing list as CSV and XLSX, narrowed by län', async () => {
    const round = await statusFixture(t.db);
    const params = { id: String(round.id) };
    const csvRes = (await callLoader(missing.loader, `/admin/omgangar/${round.id}/saknade?format=csv&lan=03`, { params, headers: admin.headers })) as Response;
    expect(csvRes.headers.get('Content-Type')).toMatch(/text\/csv/);
    expect(csvRes.headers.get('Content-Disposition')).toMatch(/attachment; filename="saknade-svar-omgang-\d+-.*\.csv"/);
    const rows = parse(await csvRes.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r.Kod)).not.toContain('0380');
    const xlsxRes = (await callLoader(missing.loader, `/admin/omgangar/${round.id}/saknade?format=xlsx`, { params, headers: admin.headers })) as Response;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsxRes.arrayBuffer());
    expect(book.worksheets[0].rowCount).toBe(31);
  });

  it('imports contacts from an uploaded file with a Swedish per-row report', async () => {
    const fd = formData({ csrf: admin.csrf });
    fd.append('file', new File(['org,name,email,role\n0114,Anna Berg,anna@upplandsvasby.se,socialchef\n0115,Bo,ogiltig,\n'], 'kontakter.csv', { type: 'text/csv' }));
    const res = await callAction(contactsRoute.action, '/admin/kontakter', { headers: admin.headers, body: fd });
    expect(res).toEqual({ ok: true, created: 1, updated: 0, problems: [{ line: 3, message: 'E-postadressen är inte giltig.', value: 'ogiltig' }] });
    const noColumns = formData({ csrf: admin.csrf });
    noColumns.append('file', new File(['kommun;namn\n0114;Anna\n'], 'k.csv'));
    const bad = (await callAction(contactsRoute.action, '/admin/kontakter', { headers: admin.headers, body: noColumns })) as Response;
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/saknar kolumnerna org, email\./);
    const page = (await callLoader(contactsRoute.loader, '/admin/kontakter', { headers: admin.headers })) as Awaited<ReturnType<typeof contactsRoute.loader>>;
    expect(page.counts).toEqual({ contacts: 1, organisations: 1 });
  });
});

function formData(fields: Record<string, string>, multi: Record<string, string[]> = {}): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [k, values] of Object.entries(multi)) for (const v of values) fd.append(k, v);
  return fd;
}
