import { z } from 'zod';
import { ROLES } from '../../../db/schema';
import { getOrganisationByCode } from '../../models/organisations/organisations.server';
import { addUserAudited, UserExistsError } from '../../models/auth/users.server';
import { UserError, type Command } from '../command';

const optionsSchema = z.object({
  email: z.string({ error: '--email is required' }).trim().email('--email must be an e-mail address, e.g. anna@myndighet.se'),
  role: z.enum(ROLES, { error: () => `--role must be one of: ${ROLES.join(', ')}` }),
  org: z.string().trim().min(1).optional(),
  name: z.string().trim().min(1).max(200).optional(),
});

export const userAdd: Command = {
  name: 'user add',
  summary: 'Add a user who signs in by e-mail link (the first admin, evaluators, respondents)',
  help: `Usage: npm run cli -- user add --email <address> --role admin|evaluator|respondent [--org <code>] [--name <name>]

Adds a user. They sign in at /logga-in with a link sent to the address (without SMTP_URL the
link waits in the outbox: in demo and development mode the sign-in page shows it).
Respondents must belong to an organisation: --org takes its code, e.g. 0180 or a län code.
The addition is recorded in the audit log.

Options:
  --email ADDRESS   the address to sign in with (unique)
  --role ROLE       admin, evaluator or respondent
  --org CODE        the organisation (required for respondents)
  --name NAME       the person's name, shown in the audit log and status views`,
  options: { email: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' }, name: { type: 'string' } },
  async run(ctx) {
    const parsed = optionsSchema.safeParse(ctx.values);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const { email, role, org, name } = parsed.data;
    const db = ctx.db();
    let organisationId: number | null = null;
    if (org) {
      const found = await getOrganisationByCode(db, org);
      if (!found) throw new UserError(`No organisation with code ${org} (see \`npm run cli -- orgs\`)`);
      organisationId = found.id;
    } else if (role === 'respondent') {
      throw new UserError('A respondent must belong to an organisation: add --org <code>');
    }
    try {
      const user = await addUserAudited(db, { email, role, name: name ?? null, organisationId }, { id: null }, 'command line');
      ctx.out(`Added ${user.role} ${user.email} (user ${user.id}). Sign in at /logga-in.`);
    } catch (e) {
      if (e instanceof UserExistsError) throw new UserError(e.message);
      throw e;
    }
  },
};
