import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { ROLES } from '../../db/schema';
import { dateTime, ROLE_LABELS } from '~/utils/admin-labels';
import { CsrfInput } from '~/components/csrf-input';
import { getOrganisationByCode, listOrganisations } from '~/models/organisations/organisations.server';
import { addUserAudited, listUsers, setUserActive, UserChangeError, UserExistsError } from '~/models/auth/users.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Användare – Administrera – Enkätnav' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request, ['admin']);
  const db = getDb();
  const [users, organisations] = await Promise.all([listUsers(db), listOrganisations(db)]);
  return json(
    {
      csrf: csrfToken(request),
      me: me.id,
      users: users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        organisation: u.organisation_code ? `${u.organisation_name} (${u.organisation_code})` : null,
        active: Boolean(u.active),
        lastLoginAt: u.last_login_at,
      })),
      organisations: organisations.map((o) => ({ code: o.code, name: o.name })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

const addSchema = () =>
  z.object({
    intent: z.literal('add'),
    email: z.string().trim().max(254, 'E-postadressen är för lång.').pipe(z.email({ error: 'Ange en giltig e-postadress, t.ex. anna@myndighet.se.' })),
    name: z.string().trim().max(200, 'Namnet får vara högst 200 tecken.').optional(),
    role: z.enum(ROLES, { error: 'Välj en roll.' }),
    org: z.string().trim().max(20).optional(),
  });
const toggleSchema = () => z.object({ intent: z.enum(['activate', 'deactivate']), id: z.coerce.number().int().positive() });

type ActionData = { ok: true; message: string } | { ok: false; message: string; fields?: Partial<Record<'email' | 'name' | 'role' | 'org', string>> };

const CHANGE_MESSAGES: Record<UserChangeError['code'], string> = {
  not_found: 'Användaren finns inte.',
  self: 'Du kan inte inaktivera dig själv.',
  last_admin: 'Den sista aktiva administratören kan inte inaktiveras. Lägg till en annan administratör först.',
};

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const db = getDb();
  const fail = (status: number, message: string, fields?: Extract<ActionData, { ok: false }>['fields']) => Response.json({ ok: false, message, fields } satisfies ActionData, { status });

  if (values.intent === 'add') {
    const parsed = addSchema().safeParse({ ...values, name: values.name || undefined, org: values.org || undefined });
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
      return fail(400, 'Användaren lades inte till. Rätta uppgifterna nedan.', fields);
    }
    const { email, name, role, org } = parsed.data;
    let organisationId: number | null = null;
    if (org) {
      const found = await getOrganisationByCode(db, org);
      if (!found) return fail(400, 'Användaren lades inte till. Rätta uppgifterna nedan.', { org: `Ingen organisation har koden ${org}.` });
      organisationId = found.id;
    } else if (role === 'respondent') {
      return fail(400, 'Användaren lades inte till. Rätta uppgifterna nedan.', { org: 'En svarande måste höra till en organisation: ange dess kod.' });
    }
    try {
      const user = await addUserAudited(db, { email, role, name: name || null, organisationId }, { id: me.id }, 'admin page');
      return Response.json({ ok: true, message: `${user.email} är tillagd som ${ROLE_LABELS[user.role].toLowerCase()}. Hen loggar in på /logga-in med en länk som skickas till adressen.` } satisfies ActionData);
    } catch (e) {
      if (e instanceof UserExistsError) return fail(409, 'Användaren lades inte till.', { email: 'Det finns redan en användare med den adressen.' });
      throw e;
    }
  }

  const parsed = toggleSchema().safeParse(values);
  if (!parsed.success) return fail(400, 'Okänd åtgärd.');
  try {
    const user = await setUserActive(db, parsed.data.id, parsed.data.intent === 'activate', { id: me.id });
    return Response.json({ ok: true, message: user.active ? `${user.email} är aktiv igen och kan logga in.` : `${user.email} är inaktiverad: inloggningar och API-nycklar slutar gälla direkt.` } satisfies ActionData);
  } catch (e) {
    if (e instanceof UserChangeError) return fail(e.code === 'not_found' ? 404 : 409, CHANGE_MESSAGES[e.code]);
    throw e;
  }
}

export default function Users() {
  const { csrf, me, users, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const navigation = useNavigation();
  const adding = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'add';
  const fields = result && !result.ok ? (result.fields ?? {}) : {};
  const fieldProps = (name: keyof typeof fields) => (fields[name] ? { 'aria-invalid': true, 'aria-describedby': `${name}-error` } : {});
  const fieldError = (name: keyof typeof fields) =>
    fields[name] ? (
      <span className="error" id={`${name}-error`}>
        {fields[name]}
      </span>
    ) : null;
  return (
    <>
      <h1>Användare</h1>
      <p>
        Användare loggar in med en länk som skickas till deras e-postadress. Administratörer öppnar omgångar och påminner, utvärderare gör jämförelser, och svarande ser
        sin organisations enkäter. Alla ändringar syns i <Link to="/admin/logg">loggen</Link>.
      </p>
      {result ? (
        <p className={result.ok ? 'flash' : 'error-summary'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}

      <h2>Lägg till användare</h2>
      <Form method="post" className="filters" aria-label="Lägg till användare">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="add" />
        <div className="field">
          <label htmlFor="email">E-postadress</label>
          <input id="email" name="email" type="email" autoComplete="off" required {...fieldProps('email')} />
          {fieldError('email')}
        </div>
        <div className="field">
          <label htmlFor="name">Namn (valfritt)</label>
          <input id="name" name="name" type="text" maxLength={200} {...fieldProps('name')} />
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="role">Roll</label>
          <select id="role" name="role" defaultValue="evaluator" {...fieldProps('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          {fieldError('role')}
        </div>
        <div className="field">
          <label htmlFor="org">Organisationskod (för svarande)</label>
          <input id="org" name="org" type="text" list="org-codes" inputMode="text" autoComplete="off" {...fieldProps('org')} />
          <datalist id="org-codes">
            {organisations.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </datalist>
          {fieldError('org')}
        </div>
        <button type="submit" disabled={adding}>
          {adding ? 'Lägger till…' : 'Lägg till'}
        </button>
      </Form>

      <h2>Alla användare</h2>
      <table className="data-table">
        <caption className="visually-hidden">Användare, sorterade efter roll och e-postadress</caption>
        <thead>
          <tr>
            <th scope="col">E-postadress</th>
            <th scope="col">Namn</th>
            <th scope="col">Roll</th>
            <th scope="col">Organisation</th>
            <th scope="col">Senast inloggad</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.email}</th>
              <td>{u.name ?? '–'}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.organisation ?? '–'}</td>
              <td>{dateTime(u.lastLoginAt)}</td>
              <td>
                {u.id === me ? (
                  'Aktiv (du)'
                ) : (
                  <Form method="post">
                    <CsrfInput token={csrf} />
                    <input type="hidden" name="id" value={u.id} />
                    {u.active ? 'Aktiv' : 'Inaktiv'}{' '}
                    <button type="submit" name="intent" value={u.active ? 'deactivate' : 'activate'} className="secondary" aria-label={`${u.active ? 'Inaktivera' : 'Aktivera'} ${u.email}`}>
                      {u.active ? 'Inaktivera' : 'Aktivera'}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
