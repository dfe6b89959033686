import type { ParseArgsConfig } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

/** An error in what the operator typed or gave us: printed without a stack trace, exit 1. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CommandContext {
  /** Opens (once) and returns the database from DATABASE_URL. */
  db: () => Kysely<Database>;
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  /** One or two words: `setup`, `round create`. */
  name: string;
  summary: string;
  /** Full help text, shown by `--help`. Starts with a usage line. */
  help: string;
  options?: ParseArgsConfig['options'];
  /** Number of positionals allowed; extra ones are a usage error. */
  positionals?: { min: number; max: number };
  /** Reads survey versions: the versions published in the database are loaded first. */
  readsSurveys?: boolean;
  run: (ctx: CommandContext) => Promise<number | void>;
}

/** Small helper for commands: a string option or undefined. */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}
