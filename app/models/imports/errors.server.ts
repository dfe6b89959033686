/** What the all-or-nothing imports (grants, responses, organisations) report about bad rows. */

export interface RowError {
  /** Line in the file, counting the header as line 1. */
  line: number;
  /** English, for the CLI and the API. */
  message: string;
  /** The column at fault, when one is. */
  column?: string;
  /** The same in Swedish, for the browser. */
  sv?: string;
}

/** An import that was refused as a whole; `errors` lists every bad row. */
export class ImportRowsError extends Error {
  constructor(
    readonly errors: RowError[],
    summary = `${errors.length} bad row(s); nothing was imported`,
  ) {
    super(summary);
  }
}
