import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers/db';
import { OJ_2019_ANSWERS, setStatus, statusFixture } from '../admin/fixtures';
import { closeBrowserSuite, newPage, openBrowserSuite, type RunningApp } from './harness';
import { addUser, signInAs } from './sign-in';

const ADMIN = 'admin@myndighet.se';

describe('administrator in Chromium: response export', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed: (t) => addUser(t, ADMIN, 'admin') }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('downloads the round as XLSX from the status page, with one row per response and a Kodbok sheet', async () => {
    // 4 submitted and 2 drafts (see statusFixture); one submitted with a full answer set and a formula-looking name.
    const round = await statusFixture(t.db);
    const full = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select('a.id').where('a.round_id', '=', round.id).where('o.code', '=', '0380').executeTakeFirstOrThrow();
    await t.db.updateTable('responses').set({ data: JSON.stringify(OJ_2019_ANSWERS), submitted_by: '=cmd|calc' }).where('assignment_id', '=', full.id).execute();
    await setStatus(t.db, round.id, '0127', 'reopened'); // a third status, to see it in the file

    const page = await newPage(browser, { acceptDownloads: true });
    await signInAs(page, app, t, ADMIN, `/admin/omgangar/${round.id}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Svar som Excel (XLSX)' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^svar-oj-vinr-2019-omgang-${round.id}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Svar', 'Kodbok']);
    const sheet = wb.getWorksheet('Svar')!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value ?? null])));
    });
    expect(rows.map((r) => [r.organisation_code, r.status]).sort()).toEqual(
      [['0114', 'submitted'], ['0115', 'submitted'], ['0117', 'draft'], ['0127', 'reopened'], ['0180', 'submitted'], ['0305', 'draft'], ['0380', 'submitted']].sort(),
    );
    const uppsala = rows.find((r) => r.organisation_code === '0380')!;
    // A string cell, shown as typed: in XLSX a string cell is never a formula (ExcelJS would give { formula }), so no guard apostrophe.
    expect(uppsala).toMatchObject({ organisation_name: 'Uppsala', lan_code: '03', submitted_by: '=cmd|calc', ...OJ_2019_ANSWERS });
    expect(rows.find((r) => r.organisation_code === '0114')).toMatchObject({ fortbildning_vuxna: 'ja', fortbildning_barn: null });
    const book = wb.getWorksheet('Kodbok')!;
    expect(book.getRow(1).getCell(1).value).toBe('column');
    // A header row, one row per export column, a blank row and the note on Excel's cell limit.
    expect(book.rowCount).toBe(headers.length + 3);
    expect(String(book.getRow(headers.length + 3).getCell(3).value)).toMatch(/högst 32\s767 tecken/);
  });
});
