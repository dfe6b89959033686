import { runCli } from '../../app/cli/main';
import type { TestDb } from './db';

/**
 * Runs the CLI against a test database and captures what it prints.
 * @example const { code, stdout } = await cli(t, 'orgs', '--format', 'json');
 */
export async function cli(t: TestDb, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, t.db);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
