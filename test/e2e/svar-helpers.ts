import type { Kysely } from 'kysely';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Database } from '../../db/schema';

/** The question block of a SurveyJS question, found by (part of) its title. */
export function question(page: Page, title: string | RegExp): Locator {
  return page.locator('.sd-question').filter({ has: page.locator('.sd-question__title', { hasText: title }) });
}

/** Picks a radio/checkbox choice by its label inside a question. */
export async function choose(page: Page, title: string | RegExp, label: string): Promise<void> {
  await question(page, title).locator('label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).first().click();
}

export async function isChosen(page: Page, title: string | RegExp, label: string): Promise<boolean> {
  return question(page, title).getByRole('radio', { name: label, exact: true }).isChecked();
}

/**
 * Waits until the server-rendered form has hydrated and knows who is answering: before that it
 * is `inert` (clicks would be lost) and says "Formuläret laddas …".
 */
export async function formReady(page: Page): Promise<void> {
  await page.locator('.respondent-survey[data-ready="true"] .sd-root-modern').waitFor();
}

/** Fills the "Vem fyller i?" form when it is shown. */
export async function identify(page: Page, name: string, email = ''): Promise<void> {
  await page.getByLabel('Ditt namn').fill(name);
  if (email) await page.getByLabel(/E-post för kvittens/).fill(email);
  await page.getByRole('button', { name: 'Börja fylla i' }).click();
  await formReady(page);
}

/** expect.poll with a timeout that survives a busy CI machine. */
export function eventually<T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 20_000, ...options });
}

export const saveStatus = (page: Page) => page.locator('.save-status').textContent();

export async function nextPage(page: Page): Promise<void> {
  await page.locator('.sd-navigation__next-btn, input[value="Nästa"], button:has-text("Nästa")').first().click();
}

/** The stored answers and version of the response behind a round's n-th assignment. */
export async function storedResponse(db: Kysely<Database>, assignmentId: number) {
  const row = await db.selectFrom('responses').select(['data', 'version', 'last_saved_by']).where('assignment_id', '=', assignmentId).executeTakeFirst();
  return row ? { ...row, data: JSON.parse(row.data) as Record<string, unknown> } : undefined;
}

export async function expectSaved(page: Page): Promise<void> {
  await eventually(() => saveStatus(page)).toMatch(/^Sparat \d{2}[:.]\d{2}/);
}
