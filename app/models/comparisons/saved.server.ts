import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { surveysDir } from '../surveys/surveys.server';
import { definitionIssues, definitionSchema, type ComparisonDefinition } from './definition';

/** A definition that failed validation; `issues` are English, one per problem. */
export class DefinitionError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid comparison definition:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
}

/** Parses a definition from JSON text or a value; throws DefinitionError. */
export function parseDefinition(input: unknown): ComparisonDefinition {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new DefinitionError([`not valid JSON: ${(e as Error).message}`]);
    }
  }
  const parsed = definitionSchema.safeParse(value);
  if (!parsed.success) throw new DefinitionError(definitionIssues(parsed.error));
  return parsed.data;
}

export interface ComparisonListItem {
  /** `db-<id>` for saved ones, `file-<name>` for files in surveys/comparisons. */
  id: string;
  title: string;
  origin: 'saved' | 'file';
}

export async function saveComparison(db: Kysely<Database>, def: ComparisonDefinition, createdBy: number | null = null): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('comparisons')
    .values({ title: def.title, definition: JSON.stringify(def), created_by: createdBy, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteComparison(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('comparisons').where('id', '=', id).execute();
}

export function comparisonsDir(): string {
  return path.join(surveysDir(), 'comparisons');
}

/** The definition files in surveys/comparisons (invalid files are skipped here; tests check them all). */
export function comparisonFiles(): { name: string; def: ComparisonDefinition }[] {
  const dir = comparisonsDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      try {
        return [{ name: f.replace(/\.json$/, ''), def: parseDefinition(fs.readFileSync(path.join(dir, f), 'utf8')) }];
      } catch {
        return [];
      }
    });
}

/** Saved comparisons (newest first) followed by the files. */
export async function listComparisons(db: Kysely<Database>): Promise<ComparisonListItem[]> {
  const saved = await db.selectFrom('comparisons').select(['id', 'title']).orderBy('id', 'desc').execute();
  return [
    ...saved.map((s) => ({ id: `db-${s.id}`, title: s.title, origin: 'saved' as const })),
    ...comparisonFiles().map((f) => ({ id: `file-${f.name}`, title: f.def.title, origin: 'file' as const })),
  ];
}

/** A saved or file definition by its list id, or undefined. */
export async function getComparisonDefinition(db: Kysely<Database>, id: string): Promise<ComparisonDefinition | undefined> {
  if (id.startsWith('db-') && /^\d+$/.test(id.slice(3))) {
    const row = await db.selectFrom('comparisons').select('definition').where('id', '=', Number(id.slice(3))).executeTakeFirst();
    return row ? parseDefinition(row.definition) : undefined;
  }
  if (id.startsWith('file-')) return comparisonFiles().find((f) => f.name === id.slice(5))?.def;
  return undefined;
}
