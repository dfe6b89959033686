import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { run } from './crash.drill';

describe('crash drill: SIGKILL under load loses no acknowledged save or submit', () => {
  let t: TestDb;
  beforeAll(async () => (t = await freshDb({ file: true })));
  afterAll(() => t?.destroy());

  it('finds every 2xx in the database after each kill and restart', { timeout: 180_000 }, async () => {
    const progress: string[] = [];
    const report = await run({ scale: 'ci', database: t, log: (line) => progress.push(line) });
    console.log(`crash drill on ${report.dialect}: ${JSON.stringify(report.figures)}`);
    const { figures } = report;
    expect(report.failures, progress.join('\n')).toEqual([]);
    expect(report.passed).toBe(true);
    expect(figures.kills).toBe(2);
    expect(figures.acknowledgedSaves).toBeGreaterThan(0);
    expect(figures.acknowledgedSubmits).toBeGreaterThan(0);
    expect(figures.found).toBe(figures.acknowledged);
    expect(figures.missing).toBe(0);
    // The kills landed mid-load: requests were in flight and went unanswered. Not every one of
    // them: an answer already written when SIGKILL arrived still reaches its client (47 of 48 in CI).
    expect(figures.inFlightAtKill).toBeGreaterThan(0);
    expect(figures.unanswered).toBeGreaterThan(0);
    expect(figures.serverErrors).toBe(0);
  });
});
