/**
 * The question columns of a wide response export, derived from the survey codebook: one column
 * per plain question, one 0/1 column per option of a multiple choice (`<key>.<value>`; ranking:
 * the rank 1…n), one per matrix cell (`<key>.<row>`, matrixdropdown `<key>.<row>.<column>`), one
 * per multipletext item (`<key>.<item>`). Questions without a fixed shape (paneldynamic,
 * matrixdynamic, file, custom) get one cell with the answer as JSON.
 */
import { shapeModel } from '../surveys/model.server';
import type { CodebookEntry, CodebookOption, LoadedSurvey } from '../surveys/types.server';

export type CellValue = string | number | null;

export interface ExportColumn {
  /** Column header: the stored key, with `.row`, `.column`, `.option` or `.item` appended. */
  key: string;
  /** The codebook entry the column comes from. */
  entry: CodebookEntry;
  /** What the cell holds, for the Kodbok sheet. */
  describe: string;
  cell: (answers: Record<string, unknown>, labels: boolean) => CellValue;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const json = (v: unknown): CellValue => (v === undefined || v === null ? null : JSON.stringify(v));

function labelOf(options: CodebookOption[] | null | undefined, value: unknown): string | undefined {
  return options?.find((o) => o.value === String(value))?.label;
}

/** A scalar answer: numbers stay numbers, booleans become 1/0 (or their labels), the rest text. */
function scalar(value: unknown, options: CodebookOption[] | null | undefined, labels: boolean): CellValue {
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value)) return value.map((v) => scalar(v, options, labels)).join('; ');
  if (isObject(value)) return JSON.stringify(value);
  if (labels) {
    const label = labelOf(options, value);
    if (label !== undefined && label !== String(value)) return label;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  return String(value);
}

function numeric(value: unknown): CellValue {
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return scalar(value, null, false);
}

function multipleColumns(entry: CodebookEntry): ExportColumn[] {
  const ranking = entry.type === 'ranking';
  return (entry.options ?? []).map((o) => ({
    key: `${entry.key}.${o.value}`,
    entry,
    describe: ranking ? `rang för ”${o.label}” (1 = först)` : `1 om ”${o.label}” valdes, annars 0`,
    cell: (answers) => {
      const v = answers[entry.key];
      if (!Array.isArray(v)) return null; // unanswered is empty, not 0
      const at = v.map(String).indexOf(o.value);
      if (ranking) return at < 0 ? null : at + 1;
      return at < 0 ? 0 : 1;
    },
  }));
}

function matrixColumns(entry: CodebookEntry): ExportColumn[] {
  const rows = entry.rows ?? [];
  if (entry.type === 'matrix') {
    return rows.map((r) => ({
      key: `${entry.key}.${r.value}`,
      entry,
      describe: `rad ”${r.label}”: kolumnens värde`,
      cell: (answers, labels) => {
        const v = answers[entry.key];
        return isObject(v) ? scalar(v[r.value], entry.options, labels) : null;
      },
    }));
  }
  if (entry.type === 'matrixdropdown') {
    return rows.flatMap((r) =>
      (entry.columns ?? []).map((c) => ({
        key: `${entry.key}.${r.value}.${c.name}`,
        entry,
        describe: `rad ”${r.label}”, kolumn ”${c.label}”`,
        cell: (answers: Record<string, unknown>, labels: boolean) => {
          const v = answers[entry.key];
          const row = isObject(v) ? v[r.value] : undefined;
          if (!isObject(row)) return null;
          return c.kind === 'numeric' ? numeric(row[c.name]) : scalar(row[c.name], c.options, labels);
        },
      })),
    );
  }
  return [jsonColumn(entry)];
}

function jsonColumn(entry: CodebookEntry): ExportColumn {
  return { key: entry.key, entry, describe: 'svaret som JSON', cell: (answers) => json(answers[entry.key]) };
}

/** multipletext: one column per item; other shapeless questions: JSON. */
function otherColumns(survey: LoadedSurvey, entry: CodebookEntry): ExportColumn[] {
  if (entry.type !== 'multipletext') return [jsonColumn(entry)];
  const q = shapeModel(survey).getQuestionByValueName(entry.key) as unknown as { items?: { name: string; title?: string; inputType?: string }[] } | null;
  return (q?.items ?? []).map((item) => ({
    key: `${entry.key}.${item.name}`,
    entry,
    describe: `delfråga ”${item.title || item.name}”`,
    cell: (answers: Record<string, unknown>) => {
      const v = answers[entry.key];
      if (!isObject(v)) return null;
      return item.inputType === 'number' ? numeric(v[item.name]) : scalar(v[item.name], null, false);
    },
  }));
}

function plainColumn(entry: CodebookEntry): ExportColumn {
  const describe = {
    single: 'valt värde',
    numeric: 'tal',
    boolean: '1 = ja, 0 = nej',
    text: 'fritext',
    computed: 'beräknat värde',
  }[entry.kind as string] ?? 'värde';
  return {
    key: entry.key,
    entry,
    describe,
    cell: (answers, labels) => {
      const v = answers[entry.key];
      const cell = scalar(v, entry.options, labels);
      return entry.kind === 'numeric' && typeof cell === 'string' ? numeric(cell) : cell;
    },
  };
}

/** Every question column of the survey, in codebook (form) order. */
export function questionColumns(survey: LoadedSurvey, codebook: CodebookEntry[]): ExportColumn[] {
  return codebook.flatMap((entry) => {
    if (entry.kind === 'multiple') return multipleColumns(entry);
    if (entry.kind === 'matrix') return matrixColumns(entry);
    if (entry.kind === 'other') return otherColumns(survey, entry);
    return [plainColumn(entry)];
  });
}
