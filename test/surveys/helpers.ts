import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../app/cli/main';
import type { LoadedSurvey } from '../../app/models/surveys/surveys.server';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SURVEYS = path.join(ROOT, 'surveys');
export const THIRD_PARTY = path.join(ROOT, 'test/fixtures/surveyjs');
export const VALID: Record<string, Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/valid-answers.json'), 'utf8'));

/** Runs the CLI and captures what it prints. The survey commands never open the database. */
export async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-surveys-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(file: string, json: unknown) {
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

/** Every element object in a SurveyJS JSON (pages, panels), depth first. */
export function elements(survey: any): any[] {
  const out: any[] = [];
  const visit = (list: any[] | undefined) => {
    for (const el of list ?? []) {
      out.push(el);
      visit(el.elements);
    }
  };
  for (const p of survey.pages ?? []) visit(p.elements);
  return out;
}

/** A survey built in memory, as if loaded from a file. */
export function inMemorySurvey(json: Record<string, unknown>, id = 'test-2020'): LoadedSurvey {
  const [family, year] = [id.replace(/-\d{4}$/, ''), Number(id.slice(-4))];
  return {
    meta: { id, family, year, title: 'Test', audience: ['kommun'], description: 'Test', defaultDeadline: '05-31', source: 'test' },
    json,
    file: `<memory:${id}>`,
  };
}
