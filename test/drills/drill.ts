/**
 * What every reliability drill shares. A drill module (`test/drills/<name>.drill.ts`) exports
 * `run(options): Promise<DrillReport>`. Its vitest file runs it at `scale: 'ci'` on the run's
 * database (SQLite, or PostgreSQL in CI's second pass) and asserts on the report;
 * `npm run drills` runs it at `scale: 'full'` on SQLite and, when DATABASE_URL is postgres://…,
 * on PostgreSQL too, and writes bench/drills.json and bench/drills.md.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

export interface DrillDatabase {
  db: Kysely<Database>;
  /** DATABASE_URL for a server process started by the drill. */
  url: string;
  dialect: 'sqlite' | 'postgres';
}

export interface DrillOptions {
  /** 'ci': small enough for the test suite on two cores; 'full': the figures the issue asks for. */
  scale: 'ci' | 'full';
  database: DrillDatabase;
  /** Progress lines for long runs; the test passes nothing. */
  log?: (line: string) => void;
}

export interface DrillReport {
  drill: string;
  dialect: 'sqlite' | 'postgres';
  scale: 'ci' | 'full';
  /** Whether every property the drill checks held. */
  passed: boolean;
  /** The counts the closing note reports, e.g. { acknowledged: 812, found: 812, serverErrors: 0 }. */
  figures: Record<string, number>;
  /** One line per broken property, with enough detail to debug it; empty when passed. */
  failures: string[];
  durationMs: number;
}

/**
 * The failure lines of a drill, capped so a broken run still writes a readable report.
 * @example const { failures, fail } = failureList(); … fail(`payload 12: 500`);
 */
export function failureList(limit = 200): { failures: string[]; fail: (line: string) => void } {
  const failures: string[] = [];
  return {
    failures,
    fail: (line) => {
      if (failures.length < limit) failures.push(line);
    },
  };
}
