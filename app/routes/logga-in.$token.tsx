import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';
import { consumeSignInToken } from '~/models/auth/users.server';
import styles from '~/styles/auth.css';
import { homeOf, safeRedirectPath } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { logger } from '~/utils/logger.server';
import { checkRateLimit, clientIp, hitRateLimit } from '~/utils/rate-limit.server';
import { createSession } from '~/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Logga in – Enkätnav' }, { name: 'robots', content: 'noindex' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

/**
 * GET only shows a button: mail scanners and link previews fetch links, and must not use up a
 * single-use token. The token is checked and consumed by the POST.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return json({ csrf: csrfToken(request) }, { headers: { 'Cache-Control': 'no-store' } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  assertCsrf(request, form);
  const db = getDb();
  const key = `signin-token:ip:${clientIp(context)}`;
  const limit = await checkRateLimit(db, key);
  if (!limit.allowed) {
    return json(
      { error: 'För många misslyckade inloggningsförsök på kort tid. Vänta en minut och försök igen.' },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfter) } },
    );
  }
  const signedIn = await consumeSignInToken(db, params.token ?? '');
  if (!signedIn) {
    // Only failures count: a guesser is stopped, a colleague on the same network is not.
    await hitRateLimit(db, key);
    logger.warn({ ip: clientIp(context) }, 'sign-in token refused (unknown, used or expired)');
    return json(
      { error: 'Länken fungerar inte. Den kan redan ha använts, ha gått ut (den gäller i 15 minuter) eller vara felkopierad.' },
      { status: 400 },
    );
  }
  const cookie = await createSession(db, signedIn.user.id);
  return redirect(safeRedirectPath(signedIn.redirectTo, homeOf(signedIn.user.role)), { headers: { 'Set-Cookie': cookie } });
}

export default function ConfirmSignIn() {
  const { csrf } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="auth-page">
      <h1>Logga in i Enkätnav</h1>
      {data?.error ? (
        <>
          <p className="notice" role="alert">
            {data.error}
          </p>
          <p>
            <a href="/logga-in">Begär en ny inloggningslänk</a>
          </p>
        </>
      ) : (
        <>
          <p>Tryck på knappen för att logga in. Länken kan bara användas en gång.</p>
          <Form method="post">
            <CsrfInput token={csrf} />
            <button type="submit">Logga in</button>
          </Form>
        </>
      )}
    </div>
  );
}
