import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { ROLE_LABELS } from '~/utils/admin-labels';
import { CsrfInput } from '~/components/csrf-input';
import { normaliseEmail, requestSignInLink, SIGNIN_TOKEN_MINUTES } from '~/models/auth/users.server';
import { deliverSoon } from '~/models/ops/jobs.server';
import styles from '~/styles/auth.css';
import { appBaseUrl, getUser, homeOf, notBefore, safeRedirectPath, showSecretsInUi } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { getEnv } from '~/utils/env.server';
import { clientIp, hitRateLimit } from '~/utils/rate-limit.server';

export const meta: MetaFunction = () => [{ title: 'Logga in – Enkätnav' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const user = await getUser(request);
  return json(
    {
      csrf: csrfToken(request),
      redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'), ''),
      signedOut: url.searchParams.has('utloggad'),
      user: user && { email: user.email, name: user.name, role: ROLE_LABELS[user.role].toLowerCase(), home: homeOf(user.role) },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

const formSchema = () =>
  z.object({
    email: z.string().trim().max(254).email('Skriv en giltig e-postadress, till exempel namn@kommun.se.'),
    redirectTo: z.string().optional(),
  });

type ActionData =
  | { state: 'invalid'; error: string; email: string }
  | { state: 'limited'; error: string; email: string }
  | { state: 'sent'; demo: { link: string | null; note: string } | null };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  assertCsrf(request, form);
  const parsed = formSchema().safeParse(Object.fromEntries(form));
  const email = String(form.get('email') ?? '').slice(0, 254);
  if (!parsed.success) {
    return json<ActionData>({ state: 'invalid', error: parsed.error.issues[0].message, email }, { status: 400 });
  }
  const db = getDb();
  // Every request counts, whether the address exists or not; counting only unknown addresses would reveal which exist.
  const byIp = await hitRateLimit(db, `signin:ip:${clientIp(context)}`);
  const byAddress = await hitRateLimit(db, `signin:email:${normaliseEmail(parsed.data.email)}`);
  if (!byIp.allowed || !byAddress.allowed) {
    return json<ActionData>(
      { state: 'limited', error: 'För många inloggningsförsök på kort tid. Vänta en minut och försök igen.', email },
      { status: 429, headers: { 'Retry-After': String(Math.max(byIp.retryAfter, byAddress.retryAfter)) } },
    );
  }
  const started = Date.now();
  const result = await requestSignInLink(db, {
    email: parsed.data.email,
    baseUrl: appBaseUrl(request),
    redirectTo: safeRedirectPath(parsed.data.redirectTo, '') || null,
  });
  if (result.messageId) deliverSoon();
  await notBefore(started, 250);
  return json<ActionData>({ state: 'sent', demo: showSecretsInUi() ? { link: result.link ?? null, note: demoMailNote(Boolean(getEnv().SMTP_URL)) } : null });
}

/** What really happens to the sign-in e-mail in demo mode: sent when SMTP_URL is set, else it stays in the outbox. */
function demoMailNote(smtpConfigured: boolean): string {
  return smtpConfigured
    ? 'e-postservern (SMTP_URL) är inställd, så länken skickas också med e-post. Du kan använda den direkt här:'
    : 'ingen e-postserver är inställd (SMTP_URL saknas), så inget e-postmeddelande skickas; det ligger kvar i utkorgen. Använd länken här:';
}

export default function SignIn() {
  const { csrf, redirectTo, signedOut, user } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === 'submitting';
  const error = data && data.state !== 'sent' ? data.error : undefined;

  return (
    <div className="auth-page">
      <h1>Logga in</h1>
      {signedOut && !data && <p className="notice" role="status">Du är utloggad.</p>}
      {user && (
        <div className="notice">
          <p>
            Du är inloggad som <strong>{user.name ?? user.email}</strong> ({user.email}), {user.role}.
          </p>
          <div className="auth-actions">
            <a href={user.home}>Fortsätt</a>
            <Form method="post" action="/logga-ut">
              <CsrfInput token={csrf} />
              <button type="submit" className="secondary">
                Logga ut
              </button>
            </Form>
          </div>
        </div>
      )}
      {data?.state === 'sent' ? (
        <div role="status" className="notice">
          <p>
            Om adressen finns hos oss har vi skickat en inloggningslänk till den. Länken gäller i {SIGNIN_TOKEN_MINUTES} minuter och kan
            användas en gång. Titta i inkorgen (och skräpposten).
          </p>
          {data.demo &&
            (data.demo.link ? (
              <p>
                <strong>Demoläge:</strong> {data.demo.note} <a href={data.demo.link}>Logga in med länken</a>
              </p>
            ) : (
              <p>
                <strong>Demoläge:</strong> ingen aktiv användare har den adressen. Prova admin@demo.enkatnav.se eller
                utvardare@demo.enkatnav.se.
              </p>
            ))}
          <p>
            <a href={redirectTo ? `/logga-in?redirectTo=${encodeURIComponent(redirectTo)}` : '/logga-in'}>Skicka till en annan adress</a>
          </p>
        </div>
      ) : (
        <>
          <p>Skriv din e-postadress så skickar vi en länk som loggar in dig. Du behöver inget lösenord.</p>
          <Form method="post" noValidate className="auth-form">
            <CsrfInput token={csrf} />
            {redirectTo && <input type="hidden" name="redirectTo" value={redirectTo} />}
            <div className="field">
              <label htmlFor="email">E-postadress</label>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="email"
                required
                defaultValue={data?.email ?? ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'email-error' : undefined}
              />
              {error && (
                <p id="email-error" className="error" role="alert">
                  {error}
                </p>
              )}
            </div>
            <button type="submit" disabled={busy}>
              {busy ? 'Skickar…' : 'Skicka inloggningslänk'}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
