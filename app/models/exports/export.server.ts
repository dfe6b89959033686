/**
 * Wide exports of a survey's responses (one round or every round), as CSV or XLSX, written to a
 * stream so memory stays flat: responses are read in keyset pages of 1000 and each row is
 * written (XLSX: committed) before the next page is read. Every text cell goes through
 * safeCell against formula injection; numbers stay numbers.
 * @example await writeExport(db, await resolveExportScope(db, { surveyId: 'oj-vinr-2019' }), { format: 'xlsx' }, fs.createWriteStream('svar.xlsx'))
 */
import type { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Kysely } from 'kysely';
import type { Database, Round } from '../../../db/schema';
import { STATUS_LABELS } from '~/utils/admin-labels';
import { safeCell } from '~/utils/spreadsheet-safe';
import { questionColumns, type CellValue } from './columns.server';
import { TRUNCATION_MARKER, XLSX_CELL_LIMIT, XLSX_DATE_FORMAT, writeCsv, writeXlsx, type CsvDialect } from './writers.server';
import { getCodebook, getSurvey, getSurveys, type LoadedSurvey } from '../surveys/surveys.server';

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A survey or round that cannot be exported; the message is English, for the CLI. */
export class ExportError extends Error {}

export interface ExportScope {
  survey: LoadedSurvey;
  round?: Round;
}

export async function resolveExportScope(db: Kysely<Database>, input: { surveyId?: string; roundId?: number }): Promise<ExportScope> {
  let round: Round | undefined;
  if (input.roundId !== undefined) {
    round = await db.selectFrom('rounds').selectAll().where('id', '=', input.roundId).executeTakeFirst();
    if (!round) throw new ExportError(`Unknown round ${input.roundId}.`);
  }
  const surveyId = input.surveyId ?? round?.survey_id;
  const survey = surveyId ? getSurvey(surveyId) : undefined;
  if (!survey) throw new ExportError(`Unknown survey "${surveyId ?? ''}". Known: ${getSurveys().map((s) => s.meta.id).join(', ')}`);
  if (round && round.survey_id !== survey.meta.id) throw new ExportError(`Round ${round.id} belongs to survey "${round.survey_id}", not "${survey.meta.id}".`);
  return { survey, round };
}

interface ResponseRow {
  id: number;
  data: string;
  round_id: number;
  round_title: string;
  code: string | null;
  name: string | null;
  kind: string | null;
  lan_code: string | null;
  lan_name: string | null;
  kg2017: string | null;
  kg2023: string | null;
  person_name: string | null;
  person_email: string | null;
  status: keyof typeof STATUS_LABELS;
  submitted_at: string | null;
  submitted_by: string | null;
  last_saved_at: string | null;
  version: number;
}

const PAGE = 1000;

/** Every response of the scope, in id order, one page in memory at a time. */
async function* responsePages(db: Kysely<Database>, scope: ExportScope, pageSize = PAGE): AsyncGenerator<ResponseRow[]> {
  let last = 0;
  for (;;) {
    let q = db
      .selectFrom('responses as r')
      .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
      .innerJoin('rounds as ro', 'ro.id', 'a.round_id')
      .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
      .leftJoin('lan as l', 'l.code', 'o.lan_code')
      .select([
        'r.id', 'r.data', 'ro.id as round_id', 'ro.title as round_title', 'o.code', 'o.name', 'o.kind', 'o.lan_code', 'l.name as lan_name',
        'o.kommungrupp2017_code as kg2017', 'o.kommungrupp2023_code as kg2023', 'a.person_name', 'a.person_email', 'a.status',
        'r.submitted_at', 'r.submitted_by', 'r.last_saved_at', 'r.version',
      ])
      .where('r.survey_id', '=', scope.survey.meta.id)
      .where('r.id', '>', last);
    if (scope.round) q = q.where('a.round_id', '=', scope.round.id);
    const rows = (await q.orderBy('r.id').limit(pageSize).execute()) as ResponseRow[];
    if (rows.length === 0) return;
    yield rows;
    last = rows[rows.length - 1].id;
    if (rows.length < pageSize) return;
  }
}

interface FixedColumn {
  key: string;
  describe: string;
  cell: (r: ResponseRow, labels: boolean) => CellValue;
  /** An ISO timestamp: a date cell in XLSX. */
  date?: boolean;
}

function fixedColumns(survey: LoadedSurvey): FixedColumn[] {
  const person: FixedColumn[] =
    survey.meta.audience === 'person'
      ? [
          { key: 'person_name', describe: 'den inbjudna personens namn', cell: (r) => r.person_name },
          { key: 'person_email', describe: 'den inbjudna personens e-post', cell: (r) => r.person_email },
        ]
      : [];
  return [
    { key: 'response_id', describe: 'svarets id', cell: (r) => r.id },
    { key: 'round_id', describe: 'omgångens id', cell: (r) => r.round_id },
    { key: 'round_title', describe: 'omgångens titel', cell: (r) => r.round_title },
    ...person,
    { key: 'organisation_code', describe: 'organisationskod (kommunkod för kommuner)', cell: (r) => r.code },
    { key: 'organisation_name', describe: 'organisationens namn', cell: (r) => r.name },
    { key: 'organisation_kind', describe: 'typ av organisation', cell: (r) => r.kind },
    { key: 'lan_code', describe: 'länskod', cell: (r) => r.lan_code },
    { key: 'lan_name', describe: 'län', cell: (r) => r.lan_name },
    { key: 'kommungrupp2017', describe: 'SKR:s kommungrupp 2017', cell: (r) => r.kg2017 },
    { key: 'kommungrupp2023', describe: 'SKR:s kommungrupp 2023', cell: (r) => r.kg2023 },
    { key: 'status', describe: 'not_started, draft, submitted eller reopened (med etiketter: på svenska)', cell: (r, labels) => (labels ? STATUS_LABELS[r.status] : r.status) },
    { key: 'submitted_at', describe: 'inskickat', cell: (r) => r.submitted_at, date: true },
    { key: 'submitted_by', describe: 'inskickat av', cell: (r) => r.submitted_by },
    { key: 'last_saved_at', describe: 'senast sparat', cell: (r) => r.last_saved_at, date: true },
    { key: 'version', describe: 'svarets version (antal sparningar)', cell: (r) => r.version },
  ];
}

export interface ExportOptions {
  format: ExportFormat;
  /** CSV only: `rfc4180` (default) or `excel-sv` (`;`, decimal comma) for Swedish Excel. */
  dialect?: CsvDialect;
  /** Swedish labels instead of choice keys in the cells. */
  labels?: boolean;
  /** Responses read per query (default 1000); tests make it small to cross page boundaries. */
  pageSize?: number;
  /**
   * For a process that does nothing else (the CLI): a full garbage collection every
   * COLLECT_EVERY rows. Not for the web server, where it would pause every request.
   */
  collectGarbage?: boolean;
}

/**
 * The XLSX writer copies the sheet's XML into a fresh 64 KB buffer at a time (some 5 000 for
 * 100 000 responses) and the zip adds its deflate chunks. Queued for the zip, they outlive a
 * young-generation collection, and V8 collects the old generation only after ~64 MB of such
 * memory: dead buffers were a quarter of the CLI's peak RSS (test/bench/export.bench.ts). A
 * full collection every 10 000 rows (~50 ms each, ~0.5 s for 100 000 rows) took the peak from
 * ~300 MB to ~240 MB there; every 5 000 rows gave ~220 MB for ~1.2 s.
 */
const COLLECT_EVERY = 10_000;

/** `gc()` without starting node with --expose-gc (the idiom Jest's leak detection uses). */
function garbageCollector(enabled: boolean | undefined): (count: number) => void {
  if (!enabled) return () => undefined;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return (count) => {
    if (count % COLLECT_EVERY === 0) gc();
  };
}

/** The export's layout: headers and a function from a response row to its formula-safe cells. */
export function exportLayout(scope: ExportScope, labels = false) {
  const fixed = fixedColumns(scope.survey);
  const questions = questionColumns(scope.survey, getCodebook(scope.survey));
  const headers = [...fixed.map((c) => c.key), ...questions.map((c) => c.key)];
  const dateColumns = new Set(fixed.flatMap((c, i) => (c.date ? [i] : [])));
  const toCells = (r: ResponseRow, guardFormulas: boolean): CellValue[] => {
    let answers: Record<string, unknown> = {};
    try {
      answers = JSON.parse(r.data) as Record<string, unknown>;
    } catch {
      // A stored answer set is always JSON; an unreadable one exports as empty rather than failing the file.
    }
    const cells: CellValue[] = fixed.map((c) => c.cell(r, labels));
    for (const c of questions) cells.push(c.cell(answers, labels));
    return guardFormulas ? cells.map((v) => safeCell(v)) : cells;
  };
  return { fixed, questions, headers, dateColumns, toCells };
}

/** Writes the export to `out` and ends it; resolves with the number of responses written. */
export async function writeExport(db: Kysely<Database>, scope: ExportScope, options: ExportOptions, out: Writable): Promise<number> {
  const layout = exportLayout(scope, options.labels);
  const pages = responsePages(db, scope, options.pageSize);
  const collect = garbageCollector(options.collectGarbage);
  return options.format === 'csv'
    ? writeCsv(pages, layout, out, collect, options.dialect ?? 'rfc4180')
    : writeXlsx(pages, layout, codebookRows(scope, layout), out, collect);
}

type Layout = ReturnType<typeof exportLayout>;

const pairs = (list: { value: string; label: string }[] | null | undefined) => (list ?? []).map((o) => `${o.value}=${o.label}`).join('; ');

/** The Kodbok sheet: one row per export column. */
export function codebookRows(scope: ExportScope, layout: Layout): (string | null)[][] {
  const id = scope.survey.meta.id;
  const rows: (string | null)[][] = [['column', 'key', 'question', 'type', 'kind', 'cell', 'options', 'survey_id']];
  const dated = (c: FixedColumn) => (c.date ? `${c.describe}: datum och tid i svensk tid (Europe/Stockholm), cellformat ${XLSX_DATE_FORMAT}; i CSV UTC, ISO 8601` : c.describe);
  for (const c of layout.fixed) rows.push([c.key, null, null, null, null, dated(c), null, id]);
  for (const c of layout.questions) {
    const e = c.entry;
    const options = e.type === 'matrixdropdown' ? (e.columns ?? []).map((col) => `${col.name}: ${pairs(col.options)}`).join(' | ') : pairs(e.options);
    rows.push([c.key, e.key, e.text, e.type, e.kind, c.describe, options || null, e.surveyId]);
  }
  rows.push([]);
  rows.push([
    'Obs',
    null,
    `En Excel-cell rymmer högst ${XLSX_CELL_LIMIT.toLocaleString('sv-SE')} tecken. Längre text avkortas i XLSX och slutar då med "${TRUNCATION_MARKER.trim()}"; CSV-exporten har hela texten.`,
  ]);
  return rows;
}

/** A file name for a download, e.g. `svar-oj-vinr-2019-omgang-3-2026-11-22.xlsx`. */
export function exportFileName(scope: ExportScope, format: ExportFormat, labels = false): string {
  const date = new Date().toISOString().slice(0, 10);
  return `svar-${scope.survey.meta.id}${scope.round ? `-omgang-${scope.round.id}` : ''}${labels ? '-etiketter' : ''}-${date}.${format}`;
}
