import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../app/models/auth/users.server';
import { createRound } from '../../app/models/rounds/rounds.server';
import { answerAndSubmit } from '../admin/fixtures';
import { signedIn, type TestSession } from '../auth/helpers';
import type { TestDb } from '../helpers/db';
import { reportAnswers } from '../grants/fixtures';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';
import { signInAs } from './sign-in';

/**
 * One grant year in the browser, with no CLI step: the administrator creates the programme and
 * year and computes the allocation; three kommuner request, one declines; payments are booked;
 * the återrapportering round goes out and three reports come in (all used, part used, nothing
 * used); the ledger derives the statuses; a repayment and a reclaim are booked.
 */
const KOMMUNER = ['0114', '0115', '0117', '0120'];

describe('a grant year in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let evaluator: TestSession;

  beforeAll(async () => {
    const seed = async (t: TestDb) => {
      await createUser(t.db, { email: 'admin@myndighet.se', role: 'admin', name: 'Ada Admin' });
      for (const code of KOMMUNER) {
        const org = await t.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow();
        await createUser(t.db, { email: `eva@k${code}.se`, role: 'respondent', organisationId: org.id, name: 'Eva' });
      }
      // ÖJ 2019 answers of the four kommuner (survey answers, not grant data).
      const orgIds = (await t.db.selectFrom('organisations').select('id').where('code', 'in', KOMMUNER).execute()).map((o) => o.id);
      const now = Date.now();
      const oj = await createRound(t.db, { surveyId: 'oj-vinr-2019', title: 'ÖJ 2019', opensAt: new Date(now - 86_400_000).toISOString(), closesAt: new Date(now + 30 * 86_400_000).toISOString(), organisationIds: orgIds });
      for (const a of oj.assignments) await answerAndSubmit(t.db, a.token);
      evaluator = await signedIn(t.db, 'evaluator');
    };
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  const flash = (page: Page) => page.locator('.flash, p.error').first().textContent();

  it('runs allocation, rekvisition, payment, återrapportering, repayment and reclaim', async () => {
    const admin = await newPage(browser);
    await signInAs(admin, app, t, 'admin@myndighet.se', '/admin/medel');
    await expectNoAxeViolations(admin);
    await admin.getByLabel('Kod').fill('vinr-utvecklingsmedel');
    await admin.getByLabel('Namn', { exact: true }).fill('Utvecklingsmedel mot våld i nära relationer');
    await admin.getByRole('button', { name: 'Skapa program' }).click();
    await expect.poll(() => flash(admin)).toMatch(/är skapat/);
    await admin.getByLabel('År', { exact: true }).fill('2018');
    await admin.getByLabel('Totalbelopp (kr)').fill('50 000 000');
    await admin.getByLabel('Lägsta belopp per mottagare (kr)').fill('80000');
    await admin.getByLabel('Sista dag för rekvisition').fill('2099-03-31');
    await admin.getByLabel('Sista dag för återrapportering').fill('2099-05-31');
    await admin.getByLabel('Återrapporteringsenkät').selectOption('aterrapportering-kommun-2018');
    await admin.getByRole('button', { name: 'Skapa år' }).click();
    await admin.waitForURL(/\/admin\/medel\/\d+$/);
    const yearUrl = admin.url();
    await admin.getByRole('button', { name: 'Beräkna fördelningen' }).click();
    await expect.poll(() => flash(admin)).toMatch(/^Fördelningen är beräknad: 290 mottagare, summa 50\s000\s000 kr\.$/);
    await expect.poll(() => admin.locator('.ledger-table tbody tr').count()).toBe(290);
    await expectNoAxeViolations(admin);
    const xlsx = await admin.request.get(`${yearUrl}/fordelning.xlsx`);
    expect(xlsx.status()).toBe(200);

    // Three kommuner request, the fourth declines, each signed by name and role.
    const pages = new Map<string, Page>();
    for (const code of KOMMUNER) {
      const page = await newPage(browser);
      pages.set(code, page);
      await signInAs(page, app, t, `eva@k${code}.se`, '/min-organisation');
      await page.getByLabel('Namn på den som undertecknar').fill('Eva Ek');
      await page.getByLabel('Befattning').fill('Socialchef');
      if (code === '0120') await page.getByRole('button', { name: 'Avstå' }).click();
      else await page.getByRole('button', { name: /^Rekvirera / }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(code === '0120' ? /avstått/ : /Rekvisitionen är mottagen/);
      if (code === '0114') await expectNoAxeViolations(page);
    }
    const receipts = await t.db.selectFrom('outbox').select('to_address').where('kind', '=', 'receipt').execute();
    expect(receipts).toHaveLength(4);

    await admin.goto(yearUrl);
    await admin.getByLabel('Utbetalningsdag').fill('2018-02-15');
    await admin.getByRole('button', { name: 'Bokför utbetalning av rekvirerade belopp' }).click();
    await expect.poll(() => flash(admin)).toBe('3 utbetalningar bokfördes enligt rekvisitionerna.');
    await admin.getByRole('button', { name: 'Skicka återrapportering till dem som rekvirerat' }).click();
    await expect.poll(() => flash(admin)).toMatch(/3 nya mottagare/);

    // The kommuner submit återrapportering 2018 from their inbox: all used, part used, nothing used.
    const paid = new Map((await t.db.selectFrom('grant_ledger as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id').select(['o.code', 'l.paid_sek']).where('l.paid_sek', 'is not', null).execute()).map((r) => [r.code, Number(r.paid_sek)]));
    const used: Record<string, number> = { '0114': paid.get('0114')!, '0115': paid.get('0115')! - 20_000, '0117': 0 };
    for (const code of ['0114', '0115', '0117']) {
      // Sign-in links are rate limited per address: the kommun's browser is still signed in.
      const page = pages.get(code)!;
      await page.goto(`${app.url}/min-organisation`);
      await page.getByRole('link', { name: /Till formuläret/ }).first().click();
      await page.waitForURL(/\/svar\/[A-Za-z0-9_-]{43}$/);
      const org = await t.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      const response = await t.db.selectFrom('responses as r').innerJoin('assignments as a', 'a.id', 'r.assignment_id').select('r.version').where('a.organisation_id', '=', org.id).where('r.survey_id', '=', 'aterrapportering-kommun-2018').executeTakeFirst();
      const body = { baseVersion: response?.version ?? 0, data: reportAnswers(paid.get(code)!, used[code]), submittedBy: 'Eva Ek' };
      const status = await page.evaluate(async (b) => (await fetch(`${location.pathname}/skicka`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).status, body);
      expect(status).toBe(200);
    }

    await admin.goto(yearUrl);
    const count = (s: string) => admin.locator(`.t8-table tr[data-status="${s}"] td`).textContent();
    expect([await count('ej_rekvirerat'), await count('forbrukat'), await count('aterbetalt'), await count('vantar')]).toEqual(['287', '2', '1', '0']);
    const row = (code: string) => admin.locator(`.ledger-table tr[data-code="${code}"]`);
    expect(await row('0115').textContent()).toMatch(/väntat 20\s000 kr.*Förbrukat allt\/delvis/);
    expect(await row('0117').textContent()).toMatch(/Återbetalt hela beloppet/);
    expect(await row('0120').textContent()).toMatch(/Avstår.*Inte rekvirerat/);
    expect(await admin.locator('section[aria-labelledby="diff-heading"]').textContent()).toMatch(/Återbetalning väntas \(20\s000 kr\)/);

    // The repayment is booked; the disagreement goes away.
    await row('0115').getByRole('link').click();
    await admin.getByLabel('Återbetalt (kr)').fill('20000');
    await admin.getByLabel('Återbetalningsdag').fill('2019-06-10');
    await admin.getByLabel('Skäl till ändringen').fill('Inbetalning bokförd');
    await admin.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => flash(admin)).toMatch(/sparad och loggad/);
    await expectNoAxeViolations(admin);
    // A bad amount is refused in Swedish and nothing changes.
    await admin.getByLabel('Återbetalt (kr)').fill('-5');
    await admin.getByLabel('Skäl till ändringen').fill('fel');
    await admin.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => admin.locator('.error-summary').textContent()).toMatch(/helt antal kronor/);

    // A reclaim on 0114 shows in the ledger and in its inbox.
    await admin.goto(yearUrl);
    await row('0114').getByRole('link').click();
    await admin.getByLabel('Belopp att återkräva (kr)').fill('15000');
    await admin.getByLabel('Skäl till återkravet').fill('Medel använda till annat än syftet');
    await admin.getByRole('button', { name: 'Registrera återkrav' }).click();
    await expect.poll(() => flash(admin)).toMatch(/Återkrav på 15\s000 kr/);
    await admin.goto(yearUrl);
    expect(await row('0114').textContent()).toMatch(/15\s000 kr/);
    expect((await t.db.selectFrom('grant_ledger').select('repaid_sek').where('repaid_sek', '=', 20_000).execute()).length).toBe(1);
    const inbox = pages.get('0114')!;
    await inbox.goto(`${app.url}/min-organisation`);
    expect(await inbox.locator('.grant-offer').textContent()).toMatch(/Återkrav: 15\s000 kr\. Skäl: Medel använda till annat än syftet/);

    // The ledger of record that comparisons and the map read.
    const grants = await t.db.selectFrom('grants').select(['status']).where('program', '=', 'vinr-utvecklingsmedel').where('year', '=', 2018).execute();
    expect(grants.filter((g) => g.status === 'forbrukat')).toHaveLength(2);
    expect(grants.filter((g) => g.status === 'aterbetalt')).toHaveLength(1);
    await admin.close();

    // The comparison reads the ledger directly: fortbildning_vuxna (ÖJ 2019) by grant use 2018.
    const cmp = await newPage(browser);
    await cmp.context().addCookies(evaluator.browserCookies(app.url));
    await cmp.goto(`${app.url}/jamfor/ny`);
    await cmp.getByLabel('Vad ska jämföras?').selectOption('oj-vinr-2019');
    await cmp.getByLabel('Fråga').selectOption('fortbildning_vuxna');
    await cmp.getByLabel('Dela upp efter').selectOption('grant');
    await cmp.getByLabel('Medel: program').selectOption('vinr-utvecklingsmedel');
    await cmp.getByLabel('Medel: år').selectOption('2018');
    const preview = cmp.locator('.cmp-preview');
    await expect.poll(() => preview.locator('tbody th').allTextContents()).toEqual(['Använt', 'Inte använt', 'Riket']);
    // Använt: 0114 and 0115 (förbrukat); Inte använt: 0117 (återbetalt) and 0120 (inte rekvirerat).
    const n = async (label: string) => (await preview.locator('tbody tr', { has: cmp.locator('th', { hasText: new RegExp(`^${label}$`) }) }).locator('td').first().textContent())?.trim();
    expect([await n('Använt'), await n('Inte använt'), await n('Riket')]).toEqual(['2', '2', '4']);
    await cmp.close();
    for (const p of pages.values()) await p.close();
  }, 240_000); // a whole program year in Chromium: ~60 s idle, over 90 s on a loaded machine

  it('imports ledger facts from a file on the year page (a bad file: row report, nothing stored), and redistributes the declined share after a preview', async () => {
    // Sign-in links are rate limited per address: a second administrator's session.
    const session = await signedIn(t.db, 'admin', { email: 'bo.admin@myndighet.se' });
    const admin = await newPage(browser);
    await admin.context().addCookies(session.browserCookies(app.url));
    await admin.goto(`${app.url}/admin/medel`);
    await admin.getByRole('link', { name: /2018/ }).first().click();
    await admin.waitForURL(/\/admin\/medel\/\d+$/);
    const yearUrl = admin.url();
    const before = JSON.stringify(await t.db.selectFrom('grant_ledger').selectAll().orderBy('id').execute());
    const upload = async (name: string, csv: string) => {
      await admin.locator('#ledger-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await admin.getByRole('button', { name: 'Läs in registret' }).click();
    };
    await upload('fel.csv', 'org;paid_sek;used_sek\n9999;1;\n0115;-5;\n0114;1000;2000\n');
    await expect.poll(() => flash(admin), { timeout: 20_000 }).toBe('Inget lästes in: 3 rader har fel. Rätta filen och försök igen.');
    const report = admin.locator('#import-errors tbody tr');
    expect(await report.allTextContents()).toEqual(['2orgOkänd organisationskod "9999".', '3paid_sekMåste vara ett helt antal kronor, 0 eller mer (inte "-5").', '4used_sekFörbrukat (2000 kr) kan inte vara mer än utbetalt (1000 kr).']);
    await expectNoAxeViolations(admin);
    expect(JSON.stringify(await t.db.selectFrom('grant_ledger').selectAll().orderBy('id').execute())).toBe(before);

    // 0117 used nothing: its repayment of the whole payment is booked from a file.
    const paid0117 = Number((await t.db.selectFrom('grant_ledger as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id').select('l.paid_sek').where('o.code', '=', '0117').executeTakeFirstOrThrow()).paid_sek);
    await upload('inbetalningar.csv', `org,repaid_sek,repaid_at\n0117,${paid0117},2019-06-11\n`);
    await expect.poll(() => flash(admin), { timeout: 20_000 }).toBe('Registret lästes in: 1 rader.');
    await expect.poll(() => admin.getByRole('link', { name: 'ändringsloggen' }).count(), { timeout: 20_000 }).toBe(1);
    expect(await admin.locator('#import-errors').count()).toBe(0);
    const repaid = await t.db.selectFrom('grant_ledger as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id').select('l.repaid_sek').where('o.code', '=', '0117').executeTakeFirstOrThrow();
    expect(Number(repaid.repaid_sek)).toBe(paid0117);
    await admin.goto(yearUrl);
    expect(await admin.locator('section[aria-labelledby="diff-heading"]').textContent()).not.toMatch(/Österåker/);
    const log = await t.db.selectFrom('audit_log').select('reason').where('action', '=', 'grant.ledger.import_file').execute();
    expect(log).toEqual([{ reason: 'Import från inbetalningar.csv' }]);

    // 0120 declined: its share goes to the three that requested, after a preview.
    await admin.getByRole('link', { name: 'Fördela om avböjda medel' }).click();
    await admin.waitForURL(/\/omfordela$/);
    await expectNoAxeViolations(admin);
    expect(await admin.locator('tbody tr').count()).toBe(4);
    expect(await admin.locator('tbody tr[data-code="0120"]').textContent()).toMatch(/Avböjt.*0 kr$/);
    await admin.getByRole('button', { name: 'Bekräfta omfördelningen' }).click();
    await expect.poll(() => flash(admin), { timeout: 20_000 }).toMatch(/fördelades om till 3 mottagare som rekvirerat\. Årets summa är fortfarande 50\s000\s000 kr\./);
    const sum = await t.db.selectFrom('grant_ledger').select((eb) => eb.fn.sum<number>('allocated_sek').as('s')).executeTakeFirstOrThrow();
    expect(Number(sum.s)).toBe(50_000_000);
    await admin.goto(yearUrl);
    await admin.close();
  }, 180_000);
});
