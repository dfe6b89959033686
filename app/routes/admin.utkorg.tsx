import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { OUTBOX_STATUSES } from '../../db/schema';
import { CsrfInput } from '~/components/csrf-input';
import { audit } from '~/models/auth/audit.server';
import { countOutboxByStatus, listOutbox, requeueMessage } from '~/models/mail/outbox.server';
import styles from '~/styles/auth.css';
import { requireUser, showSecretsInUi } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { getEnv } from '~/utils/env.server';

export const meta: MetaFunction = () => [{ title: 'Utkorg – Enkätnav' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

const STATUS_LABELS = { queued: 'I kö', sending: 'Skickas', sent: 'Skickat', failed: 'Misslyckades' } as const;
const KIND_LABELS: Record<string, string> = { invitation: 'Inbjudan', reminder: 'Påminnelse', signin: 'Inloggning', receipt: 'Kvittens' };

const querySchema = () => z.object({ status: z.enum(OUTBOX_STATUSES).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const { status } = querySchema().parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const showBodies = showSecretsInUi();
  const [messages, counts] = await Promise.all([listOutbox(db, { status, limit: 300 }), countOutboxByStatus(db)]);
  return json(
    {
      csrf: csrfToken(request),
      status: status ?? '',
      counts,
      smtpConfigured: Boolean(getEnv().SMTP_URL),
      showBodies,
      messages: messages.map((m) => ({
        id: m.id,
        kind: m.kind,
        to: m.to_address,
        subject: m.subject,
        status: m.status,
        attempts: m.attempts,
        lastError: m.last_error,
        createdAt: m.created_at,
        sentAt: m.sent_at,
        nextAttemptAt: m.status === 'queued' ? m.next_attempt_at : null,
        // In production the bodies (sign-in links, personal links) stay out of the page.
        body: showBodies ? m.text_body : null,
      })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

const actionSchema = () => z.object({ intent: z.literal('requeue'), id: z.coerce.number().int().positive() });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const parsed = actionSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ message: 'Okänd åtgärd.' }, { status: 400 });
  const db = getDb();
  const ok = await requeueMessage(db, parsed.data.id);
  if (ok) await audit(db, { actorUserId: user.id, action: 'outbox.requeue', entity: 'outbox', entityId: parsed.data.id });
  return json({ message: ok ? `Meddelande ${parsed.data.id} ligger i kö igen.` : 'Meddelandet hade inte misslyckats.' }, { status: ok ? 200 : 409 });
}

const TIME = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Stockholm' });
const time = (iso: string | null) => (iso ? TIME.format(new Date(iso)) : '–');

export default function Outbox() {
  const { csrf, status, counts, smtpConfigured, showBodies, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Utkorg</h1>
      <p>Alla e-postmeddelanden går via utkorgen: inbjudningar, påminnelser, inloggningslänkar och kvittenser.</p>
      {!smtpConfigured && (
        <p className="notice">
          Ingen e-postserver är inställd (SMTP_URL saknas). Meddelandena stannar i kö här tills en server ställs in.
        </p>
      )}
      {showBodies && (
        <p className="notice">
          Demo- eller utvecklingsläge: hela texten visas, också inloggningslänkar. I produktion visas bara rubrik och mottagare.
        </p>
      )}
      <ul className="outbox-counts" aria-label="Antal per status">
        {OUTBOX_STATUSES.map((s) => (
          <li key={s}>
            {STATUS_LABELS[s]}: <strong>{counts[s]}</strong>
          </li>
        ))}
      </ul>
      <Form method="get" className="filters" aria-label="Filtrera meddelanden">
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={status}>
            <option value="">Alla</option>
            {OUTBOX_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Visa</button>
      </Form>
      <table className="data-table">
        <caption className="visually-hidden">De senaste meddelandena, nyast först</caption>
        <thead>
          <tr>
            <th scope="col">Nr</th>
            <th scope="col">Typ</th>
            <th scope="col">Mottagare och ämne</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Försök
            </th>
            <th scope="col">Senaste fel</th>
            <th scope="col">Skapat / skickat</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{m.id}</td>
              <td>{KIND_LABELS[m.kind] ?? m.kind}</td>
              <th scope="row">
                <div>{m.to}</div>
                <div>{m.subject}</div>
                {m.body && (
                  <details>
                    <summary>Visa texten</summary>
                    <pre className="outbox-body">{m.body}</pre>
                  </details>
                )}
              </th>
              <td>
                {STATUS_LABELS[m.status]}
                {m.nextAttemptAt && m.attempts > 0 && <div>Nästa försök {time(m.nextAttemptAt)}</div>}
                {m.status === 'failed' && (
                  <Form method="post">
                    <CsrfInput token={csrf} />
                    <input type="hidden" name="id" value={m.id} />
                    <button type="submit" name="intent" value="requeue" className="secondary">
                      Försök igen
                    </button>
                  </Form>
                )}
              </td>
              <td className="num">{m.attempts}</td>
              <td>{m.lastError ?? '–'}</td>
              <td>
                {time(m.createdAt)}
                {m.sentAt && <div>Skickat {time(m.sentAt)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {messages.length === 0 && <p>Inga meddelanden{status ? ' med den statusen' : ''}.</p>}
      {!showBodies && <p className="hint">Texterna visas inte i produktion, eftersom de innehåller personliga länkar.</p>}
    </>
  );
}
