import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { createDb, parseDatabaseUrl } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { UserError, type Command, type CommandContext } from './command';

/**
 * Commands loaded alone, without every other command's modules (~25 MB): an export of 100 000
 * responses has a memory budget (test/bench/export.bench.ts). No other command's name starts
 * with these words.
 */
const LEAN_COMMANDS: Record<string, () => Promise<Command>> = {
  export: async () => (await import('./commands/export')).exportCommand,
};

const isMain = Boolean(process.argv[1]) && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
/** Imported as a library (tests call runCli), every command loads with this module, as before. */
const libraryCommands = isMain ? undefined : (await import('./commands/index')).commands;

async function loadCommands(argv: string[]): Promise<Command[]> {
  if (libraryCommands) return libraryCommands;
  const lean = Object.hasOwn(LEAN_COMMANDS, argv[0] ?? '') ? LEAN_COMMANDS[argv[0]] : undefined;
  return lean ? [await lean()] : (await import('./commands/index')).commands;
}

function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npm run cli -- <command> --help` for a command\'s options.',
  ].join('\n');
}

/** Finds the longest command name that prefixes argv: `round create …` before `round`. */
function findCommand(commands: Command[], argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/**
 * Runs the CLI with the given arguments and returns the exit code. Exported for tests, which
 * capture output through `io`.
 */
export async function runCli(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  },
  /** A database owned by the caller (tests); by default the CLI opens DATABASE_URL and closes it. */
  givenDb?: Kysely<Database>,
): Promise<number> {
  const commands = await loadCommands(argv);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview(commands));
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    io.err(`Unknown command: ${argv.slice(0, 2).join(' ')}\n\n${overview(commands)}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  let db: Kysely<Database> | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UserError(`${(e as Error).message}\n\n${command.help}`, 2);
    }
    const limits = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < limits.min || parsed.positionals.length > limits.max) {
      throw new UserError(`Wrong number of arguments.\n\n${command.help}`, 2);
    }
    const ctx: CommandContext = {
      db: () => givenDb ?? (db ??= createDb(parseDatabaseUrl(process.env.DATABASE_URL))),
      values: parsed.values,
      positionals: parsed.positionals,
      out: io.out,
      err: io.err,
    };
    if (command.readsSurveys) {
      // Versions published from /admin/enkater live in the database: every reader sees them too.
      // Before `setup` there is no such table yet: the built-in files alone, as before.
      const { syncPublishedSurveys } = await import('../models/surveys/versions.server');
      await syncPublishedSurveys(ctx.db()).catch(() => undefined);
    }
    const code = await command.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`Error: ${e.message}`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`Error: ${message}`);
    if (process.env.DEBUG) io.err(e instanceof Error && e.stack ? e.stack : '');
    return 1;
  } finally {
    await db?.destroy();
  }
}

if (isMain) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
