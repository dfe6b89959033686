import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '~/components/csrf-input';
import { ApiTokenError, createApiToken, listApiTokens, revokeApiToken } from '~/models/auth/api-tokens.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'API-nycklar – Enkätnav' }];

const ROLES = ['admin', 'evaluator'] as const;

// Formatted on the server so the browser's locale data cannot make hydration differ.
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : null);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ROLES);
  const tokens = await listApiTokens(getDb(), user.id);
  return {
    csrf: csrfToken(request),
    tokens: tokens.map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, created: when(t.created_at), lastUsed: when(t.last_used_at), revoked: when(t.revoked_at) })),
  };
}

const formSchema = () =>
  z.discriminatedUnion('intent', [
    z.object({ intent: z.literal('create'), name: z.string().trim().min(1, 'Ge nyckeln ett namn.').max(100, 'Namnet får vara högst 100 tecken.') }),
    z.object({ intent: z.literal('revoke'), id: z.coerce.number().int().positive() }),
  ]);

type ActionData = { created: { name: string; token: string } } | { revoked: boolean } | { error: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ROLES);
  const form = await request.formData();
  assertCsrf(request, form);
  const parsed = formSchema().safeParse(Object.fromEntries(form));
  // The new token is in this one answer only: never cache it.
  const headers = { 'Cache-Control': 'no-store' };
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? 'Ogiltig begäran.' }, { status: 400, headers });
  const db = getDb();
  if (parsed.data.intent === 'revoke') {
    const revoked = await revokeApiToken(db, user.id, parsed.data.id);
    return Response.json({ revoked }, { status: revoked ? 200 : 404, headers });
  }
  try {
    const { token, summary } = await createApiToken(db, user, parsed.data.name);
    return Response.json({ created: { name: summary.name, token } }, { headers });
  } catch (e) {
    if (e instanceof ApiTokenError) return Response.json({ error: 'Nyckeln kunde inte skapas. Kontrollera namnet.' }, { status: 400, headers });
    throw e;
  }
}

export default function ApiKeys() {
  const { csrf, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const busy = useNavigation().state === 'submitting';
  const error = result && 'error' in result ? result.error : undefined;
  return (
    <>
      <h1>API-nycklar</h1>
      <p className="lead">
        Med en personlig API-nyckel kan program och skript läsa enkäter, omgångar och svar och beräkna jämförelser via JSON-API:t under <code>/api/v1</code>. Nyckeln har samma
        behörighet som du. Beskrivningen finns i <a href="/api/v1/openapi.json">OpenAPI-dokumentet</a>.
      </p>
      {result && 'created' in result ? (
        <section className="notice" role="status" aria-labelledby="new-token-heading">
          <h2 id="new-token-heading">Ny nyckel: {result.created.name}</h2>
          <p>Kopiera nyckeln nu och spara den på ett säkert ställe. Den visas bara den här gången; vi sparar bara ett kontrollvärde.</p>
          <label htmlFor="new-token">Nyckel</label>
          <input id="new-token" readOnly value={result.created.token} size={50} spellCheck={false} autoComplete="off" />
          <p>
            Använd den så här: <code>Authorization: Bearer {result.created.token.slice(0, 8)}…</code>
          </p>
        </section>
      ) : null}
      {result && 'revoked' in result ? (
        <p className="notice" role="status">
          {result.revoked ? 'Nyckeln är återkallad och fungerar inte längre.' : 'Nyckeln fanns inte eller var redan återkallad.'}
        </p>
      ) : null}

      <h2>Skapa en nyckel</h2>
      <Form method="post" className="filters">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="name">Namn på nyckeln</label>
          <input id="name" name="name" required maxLength={100} aria-invalid={error ? true : undefined} aria-describedby={error ? 'name-error' : 'name-hint'} />
          <span id="name-hint">T.ex. vad skriptet gör, så att du känner igen nyckeln senare.</span>
          {error ? (
            <span className="error" id="name-error">
              {error}
            </span>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Skapar…' : 'Skapa nyckel'}
        </button>
      </Form>

      <h2>Dina nycklar</h2>
      {tokens.length === 0 ? (
        <p>Du har inga API-nycklar.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Dina API-nycklar</caption>
          <thead>
            <tr>
              <th scope="col">Namn</th>
              <th scope="col">Början</th>
              <th scope="col">Skapad</th>
              <th scope="col">Senast använd</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.created}</td>
                <td>{t.lastUsed ?? 'Aldrig'}</td>
                <td>
                  {t.revoked ? (
                    `Återkallad ${t.revoked}`
                  ) : (
                    <Form method="post">
                      <CsrfInput token={csrf} />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={t.id} />
                      <button type="submit" aria-label={`Återkalla ${t.name}`}>
                        Återkalla
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
