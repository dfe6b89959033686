import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../app/cli/main';
import { freshDb, type TestDb } from '../helpers/db';

async function cli(t: TestDb, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, t.db);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('npm run cli -- user add', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('adds the first admin, audited, with the address normalised', async () => {
    t = await freshDb();
    const res = await cli(t, 'user', 'add', '--email', ' Anna.Admin@Myndighet.se ', '--role', 'admin', '--name', 'Anna Admin');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Added admin anna\.admin@myndighet\.se \(user \d+\)/);
    const user = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: 'anna.admin@myndighet.se', role: 'admin', name: 'Anna Admin', active: 1, organisation_id: null });
    const entry = await t.db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'user.add', entity: 'user', entity_id: String(user.id), actor_user_id: null });
    expect(JSON.parse(entry.after!)).toMatchObject({ email: 'anna.admin@myndighet.se', role: 'admin' });
  });

  it('binds a respondent to an organisation by code, and requires one', async () => {
    t = await freshDb();
    expect((await cli(t, 'user', 'add', '--email', 'r@umea.se', '--role', 'respondent', '--org', '2480')).code).toBe(0);
    const user = await t.db.selectFrom('users as u').innerJoin('organisations as o', 'o.id', 'u.organisation_id').select('o.name').executeTakeFirstOrThrow();
    expect(user.name).toBe('Umeå');
    const missing = await cli(t, 'user', 'add', '--email', 'r2@umea.se', '--role', 'respondent');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/must belong to an organisation/);
    const unknown = await cli(t, 'user', 'add', '--email', 'r3@umea.se', '--role', 'respondent', '--org', '9999');
    expect(unknown.stderr).toMatch(/No organisation with code 9999/);
  });

  it('refuses duplicates, bad roles and bad addresses in English without a stack trace', async () => {
    t = await freshDb();
    await cli(t, 'user', 'add', '--email', 'a@b.se', '--role', 'evaluator');
    const dup = await cli(t, 'user', 'add', '--email', 'A@B.se', '--role', 'admin');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const role = await cli(t, 'user', 'add', '--email', 'c@b.se', '--role', 'superuser');
    expect(role.stderr).toMatch(/--role must be one of: admin, evaluator, respondent/);
    const email = await cli(t, 'user', 'add', '--email', 'inte-en-adress', '--role', 'admin');
    expect(email.stderr).toMatch(/--email must be an e-mail address/);
    const none = await cli(t, 'user', 'add', '--role', 'admin');
    expect(none.stderr).toMatch(/--email is required/);
    for (const r of [dup, role, email, none]) expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(await t.db.selectFrom('users').selectAll().execute()).toHaveLength(1);
  });
});

describe('npm run cli -- jobs run-due', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('runs one pass and says that mail stays queued without SMTP_URL', async () => {
    t = await freshDb();
    const res = await cli(t, 'jobs', 'run-due');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Reminders queued: 0/);
    expect(res.stdout).toMatch(/SMTP_URL is not set; messages stay in the outbox/);
  });
});

describe('demo step', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('creates the demo admin and evaluator once, and says how to sign in', async () => {
    t = await freshDb();
    const { authDemo } = await import('../../db/seed/demo-auth');
    expect(await authDemo(t.db)).toMatch(/^2 demo users: sign in at \/logga-in as admin@demo\.enkatnav\.se/);
    expect(await authDemo(t.db)).toMatch(/^demo users exist/);
    const users = await t.db.selectFrom('users').select(['email', 'role']).orderBy('email').execute();
    expect(users).toEqual([
      { email: 'admin@demo.enkatnav.se', role: 'admin' },
      { email: 'utvardare@demo.enkatnav.se', role: 'evaluator' },
    ]);
  });
});
