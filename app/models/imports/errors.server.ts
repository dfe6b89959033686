/** What the all-or-nothing imports (grants, responses, organisations) report about bad rows. */

export interface RowError {
  /** Line in the file, counting the header as line 1. */
  line: number;
  message: string;
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
