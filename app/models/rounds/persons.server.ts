import { parse } from 'csv-parse/sync';
import { readTabular, type Tabular } from '~/utils/tabular.server';
import type { PersonInvite } from './rounds.server';

/**
 * The invited persons of a person survey, from pasted text or a CSV/XLSX file: one person per
 * row, name then e-mail, or any column order under a `name`/`namn` and `email`/`e-post` header.
 * Text is parsed as CSV, so `"Berg, Anna",anna@example.se` is one name without its quotes.
 */

export interface PersonsParse {
  persons: PersonInvite[];
  problems: { line: number; text: string }[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_HEADER = /^(name|namn)$/i;
const EMAIL_HEADER = /^(e-?mail|e-?post)$/i;

type Row = { line: number; text: string; /** The row's cells, split by each separator that could apply. */ splits: string[][] };

function collect(rows: Row[]): PersonsParse {
  const out: PersonsParse = { persons: [], problems: [] };
  let nameAt = 0;
  let emailAt = 1;
  rows.forEach((row, i) => {
    const header = i === 0 ? row.splits.find((cells) => cells.some((c) => NAME_HEADER.test(c)) && cells.some((c) => EMAIL_HEADER.test(c))) : undefined;
    if (header) {
      nameAt = header.findIndex((c) => NAME_HEADER.test(c));
      emailAt = header.findIndex((c) => EMAIL_HEADER.test(c));
      return;
    }
    const cells = row.splits.find((c) => (c[nameAt] ?? '').trim() && EMAIL.test((c[emailAt] ?? '').trim()));
    if (!cells) {
      out.problems.push({ line: row.line, text: row.text });
      return;
    }
    const email = cells[emailAt].trim().toLowerCase();
    if (!out.persons.some((p) => p.email === email)) out.persons.push({ name: cells[nameAt].trim(), email });
  });
  return out;
}

/**
 * Invited persons from pasted CSV lines `name,email` (or `;` or a tab between; pasted text
 * may mix them, so each line takes the first separator that yields a name and an e-mail). A
 * line that is not name + valid e-mail is returned as a problem with its line number.
 * @example parsePersons('"Berg, Anna", anna@example.se') // { persons: [{ name: 'Berg, Anna', email: 'anna@example.se' }], problems: [] }
 */
export function parsePersons(text: string): PersonsParse {
  const rows: Row[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const splits: string[][] = [];
    for (const delimiter of ['\t', ',', ';']) {
      try {
        // Line by line, so one broken line is reported by number and the others still count.
        splits.push((parse(line, { delimiter, trim: true, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? []);
      } catch {
        // Not CSV with this separator (e.g. an unclosed quote): try the next one.
      }
    }
    rows.push({ line: i + 1, text: line, splits });
  });
  return collect(rows);
}

/** Invited persons from a table read by readTabular. */
export function personsFromTable(table: Tabular): PersonsParse {
  const header: Row = { line: 1, splits: [table.headers], text: table.headers.join(', ') };
  // collect() takes the first row as the header when it names the columns; else as a person.
  const rows = table.rows.map((r) => {
    const cells = table.headers.map((h) => r.cells[h] ?? '');
    return { line: r.line, splits: [cells], text: cells.join(', ') };
  });
  return collect([header, ...rows]);
}

/** Invited persons from an uploaded or given .csv/.xlsx file (TabularError for other files). */
export async function personsFromFile(bytes: Buffer, fileName: string): Promise<PersonsParse> {
  if (!/\.xlsx$/i.test(fileName)) return parsePersons(bytes.toString('utf8'));
  return personsFromTable(await readTabular(bytes, fileName));
}
