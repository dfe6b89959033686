import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { runCli } from '../../app/cli/main';
import type { TestDb } from '../helpers/db';
import type { RunningApp } from './harness';

/** Adds a user with the CLI, as an operator would (`npm run cli -- user add`). */
export async function addUser(t: TestDb, email: string, role: 'admin' | 'evaluator' | 'respondent'): Promise<void> {
  const out: string[] = [];
  const code = await runCli(['user', 'add', '--email', email, '--role', role], { out: (s) => out.push(s), err: (s) => out.push(s) }, t.db);
  expect(code, out.join('\n')).toBe(0);
}

/**
 * Signs `email` in through the real flow: ask for a link on /logga-in, take the link from the
 * outbox (as the outbox page would show it without SMTP), open it and confirm. Ends on `next`.
 * @example await signInAs(page, app, t, 'admin@myndighet.se', '/admin')
 */
export async function signInAs(page: Page, app: RunningApp, t: TestDb, email: string, next = '/admin'): Promise<void> {
  await page.goto(`${app.url}/logga-in?redirectTo=${encodeURIComponent(next)}`);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/inloggningslänk/);
  const row = await t.db.selectFrom('outbox').select('text_body').where('kind', '=', 'signin').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const link = /http:\/\/\S+\/logga-in\/[A-Za-z0-9_-]{43}/.exec(row.text_body)![0];
  await page.goto(link);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${app.url}${next}`);
}
