import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveExportScope, writeExport, type ExportFormat } from '~/models/exports/export.server';
import { getCodebook, getSurvey } from '~/models/surveys/surveys.server';
import { freshDb, type TestDb } from '../helpers/db';
import { FULL_ANSWERS, SPARSE_ANSWERS, SURVEY_ID, roundWithResponses, useEveryTypeSurvey } from './fixtures';

async function exportBuffer(t: TestDb, input: { surveyId?: string; roundId?: number }, format: ExportFormat, labels = false, pageSize?: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeExport(t.db, await resolveExportScope(t.db, input), { format, labels, pageSize }, out);
  return Buffer.concat(chunks);
}

type Cell = string | number | null;

/** The sheets of an XLSX as arrays of rows; also reports whether any cell holds a formula. */
async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  let formulas = 0;
  const sheets: Record<string, Cell[][]> = {};
  wb.eachSheet((ws) => {
    const rows: Cell[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => {
      const cells: Cell[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const cell = row.getCell(c);
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
        cells.push((cell.value as Cell) ?? null);
      }
      rows.push(cells);
    });
    sheets[ws.name] = rows;
  });
  return { sheets, formulas };
}

const unquote = (v: Cell) => (typeof v === 'string' && /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/** Rebuilds the answer object from one exported row, using only the codebook: the round trip. */
function answersFromRow(headers: string[], row: Cell[]): Record<string, unknown> {
  const survey = getSurvey(SURVEY_ID)!;
  const cell = (key: string) => unquote(row[headers.indexOf(key)] ?? null);
  const answers: Record<string, unknown> = {};
  for (const e of getCodebook(survey)) {
    let v: unknown;
    if (e.kind === 'multiple') {
      const flags = e.options!.map((o) => [o.value, cell(`${e.key}.${o.value}`)] as const);
      v = flags.every(([, f]) => f === null) ? undefined : flags.filter(([, f]) => f === 1).map(([value]) => value);
    } else if (e.type === 'matrix') {
      const obj = Object.fromEntries(e.rows!.map((r) => [r.value, cell(`${e.key}.${r.value}`)]).filter(([, x]) => x !== null));
      v = Object.keys(obj).length ? obj : undefined;
    } else if (e.type === 'matrixdropdown') {
      const obj = Object.fromEntries(e.rows!.map((r) => [r.value, Object.fromEntries(e.columns!.map((c) => [c.name, cell(`${e.key}.${r.value}.${c.name}`)]))]));
      v = Object.values(obj).some((r) => Object.values(r).some((x) => x !== null)) ? obj : undefined;
    } else if (e.type === 'multipletext') {
      const obj = Object.fromEntries(['fornamn', 'alder'].map((i) => [i, cell(`${e.key}.${i}`)]));
      v = Object.values(obj).some((x) => x !== null) ? obj : undefined;
    } else if (e.type === 'paneldynamic') {
      const x = cell(e.key);
      v = typeof x === 'string' ? JSON.parse(x) : undefined;
    } else if (e.kind === 'boolean') {
      const x = cell(e.key);
      v = x === null ? undefined : x === 1;
    } else {
      v = cell(e.key) ?? undefined;
    }
    if (v !== undefined) answers[e.key] = v;
  }
  return answers;
}

describe('response export', () => {
  let t: TestDb;
  let restoreSurveys: () => void;
  let roundId: number;
  beforeAll(() => {
    restoreSurveys = useEveryTypeSurvey();
  });
  afterAll(() => restoreSurveys());
  beforeEach(async () => {
    t = await freshDb();
    const round = await roundWithResponses(t.db, [
      { code: '0114', data: FULL_ANSWERS, status: 'submitted' },
      { code: '0180', data: SPARSE_ANSWERS, status: 'draft' },
    ]);
    roundId = round.id;
  });
  afterEach(async () => t.destroy());

  it('XLSX round-trips every question type, with organisation columns and a Kodbok sheet', async () => {
    const { sheets, formulas } = await readXlsx(await exportBuffer(t, { roundId }, 'xlsx'));
    expect(formulas).toBe(0);
    const [headers, ...rows] = sheets.Svar as [string[], ...Cell[][]];
    expect(rows).toHaveLength(2);
    const stored = await t.db.selectFrom('responses').select(['id', 'data']).orderBy('id').execute();
    rows.forEach((row, i) => {
      expect(row[headers.indexOf('response_id')]).toBe(stored[i].id);
      expect(answersFromRow(headers, row)).toEqual(JSON.parse(stored[i].data));
    });
    const at = (row: Cell[], key: string) => row[headers.indexOf(key)];
    // Upplands Väsby: Stockholms län, kommungrupp B3 (2017).
    expect(headers.slice(0, 15)).toEqual(['response_id', 'round_id', 'round_title', 'organisation_code', 'organisation_name', 'organisation_kind', 'lan_code', 'lan_name', 'kommungrupp2017', 'kommungrupp2023', 'status', 'submitted_at', 'submitted_by', 'last_saved_at', 'version']);
    const org = await t.db.selectFrom('organisations').selectAll().where('code', '=', '0114').executeTakeFirstOrThrow();
    expect([at(rows[0], 'organisation_code'), at(rows[0], 'organisation_name'), at(rows[0], 'lan_code'), at(rows[0], 'lan_name'), at(rows[0], 'kommungrupp2017'), at(rows[0], 'kommungrupp2023')]).toEqual([
      '0114', org.name, '01', 'Stockholms län', org.kommungrupp2017_code, org.kommungrupp2023_code,
    ]);
    expect([at(rows[0], 'status'), at(rows[0], 'submitted_by'), at(rows[1], 'status'), at(rows[1], 'submitted_at')]).toEqual(['submitted', 'Anna Berg', 'draft', null]);
    // Keys, 0/1 per option, one column per matrix cell; unanswered is empty, never 0.
    expect([at(rows[0], 'val'), at(rows[0], 'flera.x'), at(rows[0], 'flera.y'), at(rows[0], 'matris.r2'), at(rows[0], 'md.r2.tal'), at(rows[0], 'mt.alder'), at(rows[0], 'bool')]).toEqual(['other', 1, 0, 'dalig', -7, 41, 1]);
    expect([at(rows[1], 'flera.x'), at(rows[1], 'antal'), at(rows[1], 'bool'), at(rows[1], 'md.r1.typ')]).toEqual([null, null, 0, null]);
    const book = sheets.Kodbok as Cell[][];
    expect(book[0]).toEqual(['column', 'key', 'question', 'type', 'kind', 'cell', 'options', 'survey_id']);
    expect(book.slice(1, headers.length + 1).map((r) => r[0])).toEqual(headers);
    expect(book.find((r) => r[0] === 'md.r1.typ')).toEqual(['md.r1.typ', 'md', 'Tabell', 'matrixdropdown', 'matrix', 'rad ”Rad ett”, kolumn ”Typ”', 'typ: k=Kort; l=Lång | tal: ', SURVEY_ID]);
    expect(book.find((r) => r[0] === 'pd')?.[5]).toBe('svaret som JSON');
  });

  it('--labels writes Swedish labels for choices, booleans, matrices and the status', async () => {
    const { sheets } = await readXlsx(await exportBuffer(t, { roundId }, 'xlsx', true));
    const [headers, full, sparse] = sheets.Svar as [string[], Cell[], Cell[]];
    const at = (row: Cell[], key: string) => row[headers.indexOf(key)];
    expect(['status', 'val', 'lista', 'bool', 'matris.r1', 'matris.r2', 'md.r1.typ', 'md.r2.tal', 'flera.z', 'betyg'].map((k) => at(full, k))).toEqual(['Inskickad', 'Annat (beskriv)', 'Engelska', 'Ja', 'Bra', 'Dålig', 'Kort', -7, 1, 4]);
    expect(['status', 'val', 'bool'].map((k) => at(sparse, k))).toEqual(['Utkast sparat', 'Beta', 'Nej']);
  });

  it('neutralises formula injection in CSV; in XLSX the same text is a plain string cell, shown without the apostrophe', async () => {
    const dangerous = { 'val-Comment': '=HYPERLINK("http://evil.example","klick")', namn: '+1', kommentar: '@SUM(A1:A3)', 'mt.fornamn': '\tx' };
    const { sheets, formulas } = await readXlsx(await exportBuffer(t, { roundId }, 'xlsx'));
    const [headers, full, sparse] = sheets.Svar as [string[], Cell[], Cell[]];
    expect(formulas).toBe(0);
    // An XLSX string cell is never evaluated (readXlsx counts formulas: none), so no apostrophe is needed or shown.
    for (const [key, text] of Object.entries(dangerous)) expect(full[headers.indexOf(key)], key).toBe(text);
    expect(sparse[headers.indexOf('namn')]).toBe('-2');
    expect([full[headers.indexOf('antal')], full[headers.indexOf('dubbelt')], full[headers.indexOf('md.r2.tal')]]).toEqual([-2, -4, -7]);

    const csv = (await exportBuffer(t, { roundId }, 'csv')).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    for (const [key, text] of Object.entries(dangerous)) expect(rows[0][key], key).toBe(`'${text}`);
    expect(rows[1].namn).toBe("'-2");
    expect([rows[0].antal, rows[0]['md.r2.tal']]).toEqual(['-2', '-7']);
    // No cell of the file starts a formula once the CSV is split into cells.
    const cells = (parse(csv, { bom: true }) as string[][]).flat();
    // Negative numbers are numbers: Excel reads -2 as a number, which cannot carry a formula.
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-\d+$/.test(c))).toEqual([]);
  });

  it('a \\r at the start of a text cell is neutralised too', async () => {
    await t.db.updateTable('responses').set({ data: JSON.stringify({ namn: '\rx', kommentar: '-1+2' }) }).where('survey_id', '=', SURVEY_ID).execute();
    const rows = parse((await exportBuffer(t, { roundId }, 'csv')).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect([rows[0].namn, rows[0].kommentar]).toEqual(["'\rx", "'-1+2"]);
    const { sheets } = await readXlsx(await exportBuffer(t, { roundId }, 'xlsx'));
    const [headers, row] = sheets.Svar as [string[], Cell[]];
    // A string cell, not a formula; XML parsers read the lone \r back as \n.
    expect(row[headers.indexOf('namn')]).toMatch(/^[\r\n]x$/);
  });

  it('a survey export spans rounds; a round export holds only its own responses', async () => {
    await roundWithResponses(t.db, [{ code: '0380', data: SPARSE_ANSWERS, status: 'submitted' }]);
    const all = parse((await exportBuffer(t, { surveyId: SURVEY_ID }, 'csv')).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(all.map((r) => r.organisation_code)).toEqual(['0114', '0180', '0380']);
    const one = parse((await exportBuffer(t, { roundId }, 'csv')).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(one.map((r) => r.organisation_code)).toEqual(['0114', '0180']);
  });

  it('pages through the responses in keyset order across page boundaries', async () => {
    await roundWithResponses(t.db, [{ code: '0380', data: SPARSE_ANSWERS, status: 'submitted' }]);
    for (const pageSize of [1, 2, 3, 1000]) {
      const rows = parse((await exportBuffer(t, { surveyId: SURVEY_ID }, 'csv', false, pageSize)).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.organisation_code), `page size ${pageSize}`).toEqual(['0114', '0180', '0380']);
    }
  });

  it('person surveys get person name and e-mail columns', async () => {
    restoreSurveys();
    try {
      const scope = await resolveExportScope(t.db, { surveyId: 'samverkanspartner-2014' });
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeExport(t.db, scope, { format: 'csv' }, out);
      const header = Buffer.concat(chunks).toString('utf8').split('\n')[0];
      expect(header).toMatch(/round_title,person_name,person_email,organisation_code/);
    } finally {
      restoreSurveys = useEveryTypeSurvey();
    }
  });
});
