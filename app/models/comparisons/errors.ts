/** A definition that cannot be computed: English for the CLI and API, Swedish for the UI. */
export class ComparisonError extends Error {
  constructor(
    readonly en: string,
    readonly sv: string,
  ) {
    super(en);
  }
}
