import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { respondentDemo } from './demo-respond';
import { authDemo } from './demo-auth';
import { compareDemo } from './demo-compare';
import { reportsDemo } from './demo-reports';
import { adminDemo } from './demo-admin';
import { inboxDemo } from './demo-inbox';
import { grantsDemo } from './demo-grants';
import { surveysDemo } from './demo-surveys';

/**
 * Demo data for `npm start`. Each step checks for its own data and skips itself when it is there,
 * so running setup again changes nothing. Each part of the product adds its demo here.
 */
export async function loadDemoDataIfEmpty(db: Kysely<Database>): Promise<string> {
  const parts: string[] = [];
  for (const step of demoSteps) parts.push(await step(db));
  return parts.length ? `Demo data:\n${parts.map((p) => `- ${p}`).join('\n')}` : 'Demo data: nothing to load yet.';
}

type DemoStep = (db: Kysely<Database>) => Promise<string>;

/** Demo steps, in order. Each must be idempotent and skip itself when its data exists. */
const demoSteps: DemoStep[] = [respondentDemo, authDemo, compareDemo, reportsDemo, adminDemo, inboxDemo, grantsDemo, surveysDemo];
