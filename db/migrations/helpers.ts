import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Adds an auto-incrementing integer primary key named `id` in either dialect.
 * Migrations stay frozen in time: only this file and kysely may be imported by them.
 */
export function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return dialectOf(db) === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Foreign key to another table's `id`, integer in both dialects. */
export function references(table: string, onDelete: 'cascade' | 'set null' | 'restrict' = 'restrict') {
  return (c: ColumnDefinitionBuilder) => c.references(`${table}.id`).onDelete(onDelete);
}
