import type { Kysely } from 'kysely';
import { audit } from '../../app/models/auth/audit.server';
import { createUser, findUserByEmail } from '../../app/models/auth/users.server';
import type { Database } from '../schema';

export const DEMO_USERS = [
  { email: 'admin@demo.enkatnav.se', role: 'admin', name: 'Demo Administratör' },
  { email: 'utvardare@demo.enkatnav.se', role: 'evaluator', name: 'Demo Utvärderare' },
] as const;

/** Demo users to sign in with. Idempotent: existing addresses are left alone. */
export async function authDemo(db: Kysely<Database>): Promise<string> {
  let added = 0;
  for (const u of DEMO_USERS) {
    if (await findUserByEmail(db, u.email)) continue;
    const user = await createUser(db, { email: u.email, role: u.role, name: u.name });
    await audit(db, { actorUserId: null, action: 'user.add', entity: 'user', entityId: user.id, after: { email: u.email, role: u.role }, reason: 'demo data' });
    added++;
  }
  return `${added ? `${added} demo users` : 'demo users exist'}: sign in at /logga-in as admin@demo.enkatnav.se (administrator) or utvardare@demo.enkatnav.se (evaluator); in demo mode the sign-in page shows the link instead of e-mailing it, and /admin/utkorg shows every message`;
}
