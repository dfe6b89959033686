/**
 * The JSON API on a round of 10 000 assignments with stored answers (30 keys each), on a SQLite
 * file: every page of GET /api/v1/rounds/{id}/responses (limit 500, keyset) through the real
 * loader, with bearer-token auth, JSON and the ETag; and the token check alone. No target in the
 * issue; the figures show that a client can page a large round quickly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { configureSqlite, openSqlite } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { loadReferenceData } from '../../db/seed/reference';
import { authenticateApiToken, createApiToken } from '../../app/models/auth/api-tokens.server';
import { createUser } from '../../app/models/auth/users.server';
import { loader } from '../../app/routes/api.v1.rounds.$id.responses';
import { setDb } from '../../app/utils/db.server';
import { percentile, round, type BenchFigure } from './figure';

const ASSIGNMENTS = 10_000;
const LIMIT = 500;
const RUNS = 3;

export async function run(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-bench-api-'));
  const sqlite = openSqlite(path.join(dir, 'bench.db'));
  configureSqlite(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
    await loadReferenceData(db);
    const now = new Date().toISOString();
    const roundId = Number(
      sqlite.prepare('insert into rounds (survey_id, title, opens_at, closes_at, reminder_schedule, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)').run('malgrupp-samordnare-2026', 'Bänk', now, now, '[]', now, now).lastInsertRowid,
    );
    const assignment = sqlite.prepare('insert into assignments (round_id, organisation_id, person_email, status, token_hash, token_nonce, created_at, updated_at) values (?, null, ?, ?, ?, ?, ?, ?)');
    const response = sqlite.prepare('insert into responses (assignment_id, survey_id, data, version, submitted_at, submitted_by, created_at, updated_at) values (?, ?, ?, 1, ?, ?, ?, ?)');
    const answers = JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`fraga_${i}`, i % 3 ? 'ja' : 'Ett längre fritextsvar om arbetet under året.'])));
    sqlite.transaction(() => {
      for (let i = 0; i < ASSIGNMENTS; i++) {
        const id = Number(assignment.run(roundId, `p${i}@example.org`, 'submitted', `h${i}`, `n${i}`, now, now).lastInsertRowid);
        response.run(id, 'malgrupp-samordnare-2026', answers, now, `p${i}@example.org`, now, now);
      }
    })();
    setDb(db);
    const admin = await createUser(db, { email: 'bench@example.org', role: 'admin' });
    const { token } = await createApiToken(db, admin, 'bench');
    const headers = { Authorization: `Bearer ${token}` };

    const pageMs: number[] = [];
    const totalMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const started = performance.now();
      let url: string | null = `/api/v1/rounds/${roundId}/responses?limit=${LIMIT}`;
      let rows = 0;
      for (let guard = 0; url && guard < 1000; guard++) {
        const t0 = performance.now();
        const res = await loader({ request: new Request(`http://127.0.0.1${url}`, { headers }), params: { id: String(roundId) }, context: { nonce: '' } });
        const body = (await res.json()) as { data: unknown[]; page: { next: string | null } };
        pageMs.push(performance.now() - t0);
        rows += body.data.length;
        url = body.page.next;
      }
      if (rows !== ASSIGNMENTS) throw new Error(`paged ${rows} rows, expected ${ASSIGNMENTS}`);
      totalMs.push(performance.now() - started);
    }
    const authMs: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      await authenticateApiToken(db, headers.Authorization);
      authMs.push(performance.now() - t0);
    }
    return [
      { name: `responses page of ${LIMIT} (10 000 assignments), p50`, value: round(percentile(pageMs, 50)), unit: 'ms' },
      { name: `responses page of ${LIMIT} (10 000 assignments), p95`, value: round(percentile(pageMs, 95)), unit: 'ms' },
      { name: 'all 10 000 responses through 20 pages', value: round(percentile(totalMs, 50)), unit: 'ms' },
      { name: 'bearer token check, p50', value: round(percentile(authMs, 50), 2), unit: 'ms' },
    ];
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
