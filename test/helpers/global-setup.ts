import type { TestProject } from 'vitest/node';
import { buildBase, dropBase, newBaseLocation } from './base-db';

declare module 'vitest' {
  export interface ProvidedContext {
    baseDb: { sqlitePath: string; pgTemplate: string };
  }
}

/** Builds the migrated base database once per run; every test copies it (see freshDb). */
export default async function setup(project: TestProject) {
  const base = newBaseLocation();
  await buildBase(base);
  project.provide('baseDb', base);
  return () => dropBase(base);
}
