import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { findUnsubscribeTarget, optOutOfReminders } from '~/models/rounds/unsubscribe.server';
import styles from '~/styles/auth.css';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Avsluta påminnelser – Enkätnav' }, { name: 'robots', content: 'noindex' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

// Built in a function: a module-level schema would keep zod in the browser bundle (test/e2e/bundle.test.ts).
const tokenSchema = () => z.string().max(80);
const NOT_FOUND = 'Länken för att avsluta påminnelser fungerar inte. Den kan vara felkopierad. Kopiera hela länken från e-postmeddelandet och försök igen.';
const headers = { 'Cache-Control': 'no-store' };

/** GET only shows what the link does and a button: mail scanners fetch links and must not opt anyone out. */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = tokenSchema().safeParse(params.token);
  const target = token.success ? await findUnsubscribeTarget(getDb(), token.data) : null;
  if (!target) throw new Response(NOT_FOUND, { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  return json({ target }, { headers });
}

/**
 * The confirmation button and RFC 8058 one-click (a mail provider POSTs
 * `List-Unsubscribe=One-Click` without cookies), so no CSRF token is asked for: the signed link
 * is the credential, the only effect is fewer reminders, and app/server.ts still refuses
 * cross-site browser posts by their Origin.
 */
export async function action({ params }: ActionFunctionArgs) {
  const token = tokenSchema().safeParse(params.token);
  const target = token.success ? await optOutOfReminders(getDb(), token.data) : null;
  if (!target) return json({ error: NOT_FOUND, target: null }, { status: 404, headers });
  return json({ error: null, target }, { headers });
}

export default function Unsubscribe() {
  const { target } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const done = data?.target?.optedOutAt ?? target.optedOutAt;
  return (
    <div className="auth-page">
      <h1>Avsluta påminnelser</h1>
      <p>
        Gäller <strong>{target.recipientName}</strong> i omgången <strong>{target.roundTitle}</strong> ({target.surveyTitle}).
      </p>
      {data?.error && <p role="alert" className="error">{data.error}</p>}
      {done ? (
        <div role="status" className="notice">
          <p>Klart. Inga fler påminnelser skickas om den här omgången. Den personliga länken till formuläret fungerar som förut, och ni kan fortfarande skicka in svar.</p>
          <p>Inbjudningar till kommande omgångar skickas som vanligt.</p>
        </div>
      ) : (
        <Form method="post">
          <p>Påminnelserna om den här omgången upphör för alla mottagare hos {target.recipientName}. Andra meddelanden, till exempel kvittenser och inbjudningar till kommande omgångar, påverkas inte.</p>
          <button type="submit">Avsluta påminnelser för omgången</button>
        </Form>
      )}
    </div>
  );
}
