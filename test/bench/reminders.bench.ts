/**
 * Reminders and e-mail on a SQLite file: a reminder pass over a round of 10 000 assignments
 * (first run enqueues; the steady-state run, which the job loop repeats every minute, finds
 * nothing new), outbox delivery to a real SMTP server on 127.0.0.1, and the session lookup every
 * signed-in request makes. No issue target; the steady-state pass is held to < 1 s here since
 * the loop runs it every minute in every instance.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { openSqlite } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { loadReferenceData } from '../../db/seed/reference';
import { smtpMailer } from '../../app/models/mail/mailer.server';
import { deliverDueMessages, enqueueMessage } from '../../app/models/mail/outbox.server';
import { sendDueReminders } from '../../app/models/rounds/reminders.server';
import { createUser } from '../../app/models/auth/users.server';
import { createSession, getSessionUser } from '../../app/utils/session.server';
import { startSmtp } from '../mail/smtp-helper';
import { percentile, round, type BenchFigure } from './figure';

const ASSIGNMENTS = 10_000;
const MESSAGES = 200;

async function seed(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < ASSIGNMENTS; i += 500) {
    const batch = Array.from({ length: Math.min(500, ASSIGNMENTS - i) }, (_, j) => ({
      kind: 'organisation' as const, code: `R${String(i + j).padStart(6, '0')}`, name: `Bänkorganisation ${i + j}`, lan_code: null,
      kommungrupp2017_code: null, kommungrupp2017_name: null, kommungrupp2023_code: null, kommungrupp2023_name: null,
      population: null, population_year: null, parent_id: null, active: 1, created_at: now, updated_at: now,
    }));
    const orgs = await db.insertInto('organisations').values(batch).returning(['id', 'code']).execute();
    await db.insertInto('contacts').values(orgs.map((o) => ({ organisation_id: o.id, name: 'Kontakt', email: `k@${o.code}.example.se`, role: null, created_at: now, updated_at: now }))).execute();
  }
  const orgIds = (await db.selectFrom('organisations').select('id').where('code', 'like', 'R%').orderBy('id').execute()).map((o) => o.id);
  const r = await db
    .insertInto('rounds')
    .values({ survey_id: 'oj-vinr-2019', title: 'Bänk', opens_at: new Date(Date.now() - 30 * 86_400_000).toISOString(), closes_at: new Date(Date.now() + 2 * 86_400_000).toISOString(), closed_at: null, reminder_schedule: '[-14,-3,2]', contact_text: null, created_by: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < orgIds.length; i += 500) {
    await db
      .insertInto('assignments')
      .values(orgIds.slice(i, i + 500).map((id, j) => ({
        round_id: r.id, organisation_id: id, person_name: null, person_email: null, status: (i + j) % 3 === 0 ? ('submitted' as const) : ('not_started' as const),
        extended_until: null, token_nonce: randomBytes(16).toString('hex'), token_hash: randomBytes(32).toString('hex'), created_at: now, updated_at: now,
      })))
      .execute();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-bench-reminders-'));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(path.join(dir, 'bench.db')) }) });
  const smtp = await startSmtp();
  const mailer = smtpMailer(smtp.url, 'bench@example.se');
  try {
    await migrateToLatest(db);
    await loadReferenceData(db);
    await seed(db);

    let t = performance.now();
    const first = await sendDueReminders(db);
    const firstMs = performance.now() - t;
    const steady: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      const again = await sendDueReminders(db);
      steady.push(performance.now() - t);
      if (again.enqueued !== 0) throw new Error('second reminder pass enqueued messages');
    }

    // Delivery: MESSAGES fresh messages through a real SMTP server (the reminders above stay queued for this).
    await db.deleteFrom('outbox').execute();
    for (let i = 0; i < MESSAGES; i++) await enqueueMessage(db, { to: `m${i}@example.se`, subject: `Bänk ${i}`, text: 'Hej', kind: 'reminder' });
    t = performance.now();
    const delivery = await deliverDueMessages(db, mailer);
    const deliveryMs = performance.now() - t;
    if (delivery.sent !== MESSAGES || smtp.received.length !== MESSAGES) throw new Error(`delivered ${delivery.sent}, received ${smtp.received.length}`);

    const user = await createUser(db, { email: 'bench@example.se', role: 'admin' });
    const cookie = (await createSession(db, user.id)).split(';')[0];
    const request = new Request('http://127.0.0.1/admin', { headers: { Cookie: cookie } });
    const lookups: number[] = [];
    for (let i = 0; i < 500; i++) {
      t = performance.now();
      await getSessionUser(db, request);
      lookups.push(performance.now() - t);
    }

    const steadyP50 = percentile(steady, 50);
    return [
      { name: `reminder pass, ${ASSIGNMENTS} assignments, first run (${first.enqueued} enqueued)`, value: round(firstMs), unit: 'ms' },
      { name: `reminder pass, ${ASSIGNMENTS} assignments, steady state (nothing new), p50`, value: round(steadyP50), unit: 'ms', target: '< 1000 ms', met: steadyP50 < 1000 },
      { name: `outbox delivery to SMTP on 127.0.0.1 (${MESSAGES} messages, 2 pooled connections)`, value: round(MESSAGES / (deliveryMs / 1000)), unit: 'messages/s' },
      { name: 'session lookup per signed-in request, p50', value: round(percentile(lookups, 50), 3), unit: 'ms' },
    ];
  } finally {
    mailer.close();
    await smtp.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
