import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { dateTime } from '~/utils/admin-labels';
import { auditActions, listAudit } from '~/models/auth/audit.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Logg – Administrera – Enkätnav' }];

const PAGE_SIZE = 100;

/** Swedish names for the logged actions; unknown ones are shown as they are. */
const ACTION_LABELS: Record<string, string> = {
  'round.create': 'Omgång skapad',
  'round.extend': 'Sista svarsdag ändrad',
  'round.close': 'Omgång stängd',
  'round.joint': 'Gemensam rapport',
  'assignment.extend': 'Förlängning för organisation',
  'response.reopen': 'Svar återöppnat',
  'response.restore': 'Tidigare version återställd',
  'user.add': 'Användare tillagd',
  'user.activate': 'Användare aktiverad',
  'user.deactivate': 'Användare inaktiverad',
  'user.signin': 'Inloggning',
  'user.signout': 'Utloggning',
  'contacts.import': 'Kontakter inlästa',
  'api_token.create': 'API-nyckel skapad',
  'api_token.revoke': 'API-nyckel återkallad',
  'outbox.requeue': 'E-post köad igen',
};

const querySchema = () =>
  z.object({
    action: z.string().max(100).optional().catch(undefined),
    fore: z.coerce.number().int().positive().optional().catch(undefined),
  });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const { action, fore } = querySchema().parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const [entries, actions] = await Promise.all([listAudit(db, { action: action || undefined, beforeId: fore, limit: PAGE_SIZE + 1 }), auditActions(db)]);
  const page = entries.slice(0, PAGE_SIZE);
  return json(
    {
      action: action ?? '',
      actions,
      nextBefore: entries.length > PAGE_SIZE ? page[page.length - 1].id : null,
      paged: fore !== undefined,
      entries: page.map((e) => ({
        id: e.id,
        at: e.created_at,
        actor: e.actor_email ?? (e.actor_user_id === null ? 'Kommandoraden eller systemet' : `Användare ${e.actor_user_id}`),
        action: e.action,
        entity: e.entity,
        entityId: e.entity_id,
        reason: e.reason,
        change: describeChange(e.before, e.after),
      })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

/** "closes_at: 2019-03-15 → 2019-03-31"-style summary of the stored before/after JSON. */
function describeChange(before: string | null, after: string | null): string {
  const parse = (s: string | null): Record<string, unknown> => {
    try {
      const v = s ? JSON.parse(s) : null;
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch {
      return {};
    }
  };
  const a = parse(before);
  const b = parse(after);
  const show = (v: unknown) => (v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .slice(0, 6)
    .map((k) => (k in a ? `${k}: ${show(a[k])} → ${show(b[k])}` : `${k}: ${show(b[k])}`).slice(0, 200))
    .join('; ');
}

export default function AuditLog() {
  const { action, actions, entries, nextBefore, paged } = useLoaderData<typeof loader>();
  const filtered = action ? `/admin/logg?action=${encodeURIComponent(action)}` : '/admin/logg';
  return (
    <>
      <h1>Logg</h1>
      <p>Administratörernas ändringar, inloggningar och API-nycklar, nyast först. Loggen kan inte ändras i efterhand.</p>
      <Form method="get" className="filters" aria-label="Filtrera loggen">
        <div className="field">
          <label htmlFor="action">Händelse</label>
          <select id="action" name="action" defaultValue={action}>
            <option value="">Alla</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a] ?? a}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Visa</button>
      </Form>
      {entries.length === 0 ? (
        <p>Inga händelser{action ? ' av den sorten' : ''} ännu.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Händelser i loggen, nyast först</caption>
          <thead>
            <tr>
              <th scope="col">Tid</th>
              <th scope="col">Vem</th>
              <th scope="col">Händelse</th>
              <th scope="col">Gäller</th>
              <th scope="col">Ändring</th>
              <th scope="col">Skäl</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at)}</td>
                <td>{e.actor}</td>
                <th scope="row">{ACTION_LABELS[e.action] ?? e.action}</th>
                <td>
                  {e.entity} {e.entityId ?? ''}
                </td>
                <td>{e.change || '–'}</td>
                <td>{e.reason ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Sidor i loggen" className="pager">
        {paged ? <Link to={filtered}>Nyaste</Link> : null} {nextBefore ? <Link to={`${filtered}${action ? '&' : '?'}fore=${nextBefore}`}>Äldre händelser</Link> : null}
      </nav>
    </>
  );
}
