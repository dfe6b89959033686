import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '~/models/auth/audit.server';
import { getSurvey, setPublishedSurveys } from '~/models/surveys/surveys.server';
import * as list from '~/routes/admin.enkater._index';
import * as version from '~/routes/admin.enkater.$id';
import { setDb } from '~/utils/db.server';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';

const META = { family: 'ny-enkat', year: '2021', title: 'Ny enkät', description: 'Prov.', audience: 'kommun', defaultDeadline: '03-15', source: 'egen enkät' };
const form = (fields: Record<string, string>, file?: { name: string; text: string | Uint8Array }) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new File([file.text as BlobPart], file.name, { type: 'application/json' }));
  return fd;
};
const survey = (elements: unknown[]) => JSON.stringify({ pages: [{ name: 'p1', elements }] });

describe('/admin/enkater: bad uploads, preview submit', () => {
  let t: TestDb;
  let admin: TestSession;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    setPublishedSurveys([]);
    admin = await signedIn(t.db, 'admin');
  });
  afterEach(async () => {
    setPublishedSurveys([]);
    await t.destroy();
  });

  const upload = async (name: string, text: string | Uint8Array) => {
    const res = (await callAction(list.action, '/admin/enkater', { headers: admin.headers, body: form({ csrf: admin.csrf, intent: 'upload', ...META }, { name, text }) })) as Response;
    return { status: res.status, data: res.status === 400 ? ((await res.json()) as { problems: string[]; fields: Record<string, string> }) : null, location: res.headers.get('Location') };
  };
  const stored = () => t.db.selectFrom('survey_versions').select('id').execute();

  it('refuses each kind of bad file with a Swedish message naming the place, and stores nothing', async () => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['trasig.json', '{\n  "pages": [\n    { "name": "p1" ]\n}', /inte giltig JSON: fel på rad 3, kolumn \d+/],
      ['stor.json', `{"pages":[],"x":"${'a'.repeat(2 * 1024 * 1024)}"}`, /Filen är 2,0 MB. En enkät får vara högst 2 MB./],
      ['lista.json', '[1, 2]', /inte en SurveyJS-enkät/],
      ['titel.json', '{"title": "Bara en titel"}', /saknar ”pages”/],
      ['egen.json', survey([{ type: 'emoji', name: 'humor' }]), /Frågan ”humor” \(sida 1 \(”p1”\), element 1\) har typen ”emoji”/],
      ['webb.json', survey([{ type: 'dropdown', name: 'land', choicesByUrl: { url: 'https://example.org/land' } }]), /Frågan ”land”.*choicesByUrl/],
      ['fil.json', survey([{ type: 'file', name: 'bilaga' }]), /Frågan ”bilaga”.*filuppladdning/],
    ];
    for (const [name, text, message] of cases) {
      const result = await upload(name, text);
      expect(result.status, name).toBe(400);
      expect(result.data!.problems.join(' '), name).toMatch(message);
    }
    expect(await stored()).toEqual([]);
    expect(await listAudit(t.db, { entity: 'survey_version' })).toEqual([]);
    const ok = await upload('bra.json', survey([{ type: 'radiogroup', name: 'farg', choices: ['rod', 'bla'] }]));
    expect(ok).toMatchObject({ status: 302, location: '/admin/enkater/ny-enkat-2021' });
  });

  it('a draft with an image from another host shows check-survey\'s CSP warning at its question, and still uploads', async () => {
    const text = survey([
      { type: 'image', name: 'karta', imageLink: 'https://cdn.example.org/karta.png' },
      { type: 'radiogroup', name: 'farg', choices: ['rod', 'bla'] },
    ]);
    expect(await upload('bild.json', text)).toMatchObject({ status: 302, location: '/admin/enkater/ny-enkat-2021' });
    const data = (await callLoader(version.loader, '/admin/enkater/ny-enkat-2021', { params: { id: 'ny-enkat-2021' }, headers: admin.headers })) as any;
    expect(data.review.errors).toEqual([]);
    expect(data.review.warnings).toContainEqual({
      question: 'karta',
      message: expect.stringMatching(/^survey: question "karta" loads an image from cdn\.example\.org \(imageLink\), which the app's Content-Security-Policy blocks .*: put the image in the form as a data: URL/),
    });
  });

  it('the preview submits to the server validation, with unsaved edits, and stores nothing', async () => {
    const clone = (await callAction(list.action, '/admin/enkater', { headers: admin.headers, body: form({ csrf: admin.csrf, intent: 'clone', source: 'oj-vinr-2019', year: '2020' }) })) as Response;
    expect(clone.headers.get('Location')).toBe('/admin/enkater/oj-vinr-2020');
    const before = await t.db.selectFrom('survey_versions').selectAll().execute();
    const audits = (await listAudit(t.db, {})).length;
    const params = { id: 'oj-vinr-2020' };
    const post = (fields: Record<string, string>) => callAction(version.action, '/admin/enkater/oj-vinr-2020', { params, headers: admin.headers, body: form({ csrf: admin.csrf, intent: 'preview-submit', ...fields }) }) as Promise<any>;
    const empty = await post({ answers: '{}' });
    expect(empty.ok).toBe(false);
    expect(empty.errors.length).toBeGreaterThan(0);
    expect(empty.errors.every((e: any) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
    const answers = JSON.parse(fs.readFileSync('test/fixtures/valid-answers.json', 'utf8'))['oj-vinr-2019'];
    expect(await post({ answers: JSON.stringify(answers) })).toMatchObject({ ok: true, errors: [] });
    // An unsaved edit in the editor: a new required question makes the same answers incomplete.
    const edited: any = structuredClone(getSurvey('oj-vinr-2019')!.json);
    edited.pages[0].elements.push({ type: 'text', name: 'ny_fraga', title: 'Ny fråga', isRequired: true });
    const live = await post({ answers: JSON.stringify(answers), json: JSON.stringify(edited) });
    expect(live.ok).toBe(false);
    expect(live.errors.map((e: any) => e.question)).toContain('ny_fraga');
    const broken = await post({ answers: '{}', json: survey([{ type: 'file', name: 'bilaga' }]) });
    expect(broken).toMatchObject({ ok: false, errors: [{ question: 'bilaga', message: expect.stringMatching(/filuppladdning/) }] });
    expect(await post({ answers: 'inte json' })).toMatchObject({ ok: false });
    expect(await t.db.selectFrom('survey_versions').selectAll().execute()).toEqual(before);
    expect((await listAudit(t.db, {})).length).toBe(audits);
    expect(await t.db.selectFrom('responses').select('id').execute()).toEqual([]);
  });

  it('the metadata of a draft is edited and the draft deleted from the page, audited; a published version refuses both', async () => {
    await callAction(list.action, '/admin/enkater', { headers: admin.headers, body: form({ csrf: admin.csrf, intent: 'clone', source: 'oj-vinr-2019', year: '2020' }) });
    const params = { id: 'oj-vinr-2020' };
    const post = (fields: Record<string, string>, extra: [string, string][] = [], id = params.id) => {
      const body = form({ csrf: admin.csrf, ...fields });
      for (const [k, v] of extra) body.append(k, v);
      return callAction(version.action, `/admin/enkater/${id}`, { params: { id }, headers: admin.headers, body }) as Promise<Response>;
    };
    const meta = { intent: 'meta', title: 'Öppna jämförelser 2020', description: 'Ny beskrivning.', defaultDeadline: '04-01', source: 'SKR' };
    const saved = await post(meta, [['audience', 'kommun']]);
    expect(saved.status).toBe(302);
    const row = await t.db.selectFrom('survey_versions').select(['meta']).where('id', '=', 'oj-vinr-2020').executeTakeFirstOrThrow();
    expect(JSON.parse(row.meta)).toMatchObject({ id: 'oj-vinr-2020', family: 'oj-vinr', year: 2020, title: 'Öppna jämförelser 2020', defaultDeadline: '04-01' });

    const bad = await post({ ...meta, defaultDeadline: '13-45' }, [['audience', 'kommun']]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: Record<string, string> }).fields.defaultDeadline).toMatch(/\p{L}/u);
    expect(JSON.parse((await t.db.selectFrom('survey_versions').select(['meta']).where('id', '=', 'oj-vinr-2020').executeTakeFirstOrThrow()).meta).defaultDeadline).toBe('04-01');

    const unconfirmed = await post({ intent: 'delete' });
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { fields: Record<string, string> }).fields.confirm).toMatch(/bekräfta/);
    expect(await stored()).toEqual([{ id: 'oj-vinr-2020' }]);

    const deleted = await post({ intent: 'delete', confirm: 'ja' });
    expect(deleted.headers.get('Location')).toBe('/admin/enkater?borttagen=oj-vinr-2020');
    expect(await stored()).toEqual([]);
    const actions = (await listAudit(t.db, {})).map((a: any) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['survey.clone', 'survey.edit', 'survey.delete']));

    const builtIn = await post({ intent: 'delete', confirm: 'ja' }, [], 'oj-vinr-2019');
    expect(builtIn.status).toBe(409);
    expect(getSurvey('oj-vinr-2019')).toBeTruthy();
  });
});
