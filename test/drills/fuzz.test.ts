import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { run } from './fuzz.drill';

describe('fuzz drill (ci scale)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb({ file: true });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('answers every generated payload to save and submit without a 5xx and changes nothing on a refusal', { timeout: 600_000 }, async () => {
    const report = await run({ scale: 'ci', database: { db: t.db, url: t.url, dialect: t.dialect } });
    expect(report.failures.slice(0, 20)).toEqual([]);
    expect(report.figures.serverErrors).toBe(0);
    expect(report.figures.connectionErrors).toBe(0);
    expect(report.figures.changedOnReject).toBe(0);
    expect(report.figures.payloadsPerSurvey).toBeGreaterThanOrEqual(300);
    expect(report.figures.requests).toBe(report.figures.payloads * 2);
    // The drill must reach both outcomes, or it tests nothing.
    expect(report.figures.accepted).toBeGreaterThan(0);
    expect(report.figures.rejected).toBeGreaterThan(report.figures.accepted);
    expect(report.passed).toBe(true);
  });
});
