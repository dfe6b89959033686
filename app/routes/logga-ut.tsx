import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';
import { audit } from '~/models/auth/audit.server';
import { getUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { destroySession } from '~/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Logga ut – Enkätnav' }];

/** GET never signs out (a prefetch or an image tag could); it shows the button. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return json({ csrf: csrfToken(request), signedIn: Boolean(user) }, { headers: { 'Cache-Control': 'no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  assertCsrf(request, await request.formData());
  const db = getDb();
  const user = await getUser(request);
  const cookie = await destroySession(db, request);
  if (user) await audit(db, { actorUserId: user.id, action: 'user.signout', entity: 'user', entityId: user.id });
  return redirect('/logga-in?utloggad=1', { headers: { 'Set-Cookie': cookie } });
}

export default function SignOut() {
  const { csrf, signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Logga ut</h1>
      {signedIn ? (
        <Form method="post">
          <CsrfInput token={csrf} />
          <button type="submit">Logga ut</button>
        </Form>
      ) : (
        <p>
          Du är inte inloggad. <a href="/logga-in">Logga in</a>
        </p>
      )}
    </>
  );
}
