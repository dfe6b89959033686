import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { run } from './concurrency.drill';

describe('concurrency drill: 50 clients save the same draft at once', () => {
  let t: TestDb;
  beforeAll(async () => (t = await freshDb({ file: true })));
  afterAll(() => t?.destroy());

  it('lets exactly one save win each version, answers the rest with the conflict and loses no revision', { timeout: 180_000 }, async () => {
    const progress: string[] = [];
    const report = await run({ scale: 'ci', database: t, log: (line) => progress.push(line) });
    const { figures } = report;
    console.log(`concurrency drill on ${report.dialect}: ${JSON.stringify(figures)}`);
    expect(report.failures, progress.join('\n')).toEqual([]);
    expect(report.passed).toBe(true);
    expect(figures.clients).toBe(50);
    // One win per version, and every change landed: 50 first changes plus one per contended round after the first.
    expect(figures.wins).toBe(figures.versions);
    expect(figures.versions).toBe(figures.changesLanded);
    expect(figures.changesLanded).toBeGreaterThanOrEqual(50);
    expect(figures.conflicts).toBe(figures.requests - figures.wins);
    expect(figures.conflicts).toBeGreaterThan(0);
    expect(figures.otherStatuses).toBe(0);
    expect(figures.serverErrors).toBe(0);
  });
});
