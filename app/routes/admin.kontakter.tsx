import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';
import { CONTACT_PROBLEMS, ContactColumnsError, countContacts, importContacts } from '~/models/organisations/contacts.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { readTabular, TabularError } from '~/utils/tabular.server';
import { countText } from '~/utils/plural';

export const meta: MetaFunction = () => [{ title: 'Kontakter – Administrera – Enkätnav' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  return { csrf: csrfToken(request), counts: await countContacts(getDb()) };
}

type ActionData =
  | { ok: false; message: string }
  | { ok: true; created: number; updated: number; problems: { line: number; message: string; value?: string }[] };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const file = form.get('file');
  if (!file || typeof file === 'string' || file.size === 0) {
    return Response.json({ ok: false, message: 'Välj en CSV- eller XLSX-fil att läsa in.' }, { status: 400 });
  }
  try {
    const table = await readTabular(Buffer.from(await file.arrayBuffer()), file.name || 'kontakter.csv');
    const result = await importContacts(getDb(), table, { actorUserId: user.id, source: file.name });
    // Messages are resolved here: the problem table lives in a server module.
    return { ok: true, created: result.created, updated: result.updated, problems: result.problems.map((p) => ({ line: p.line, message: CONTACT_PROBLEMS[p.code].sv, value: p.value })) };
  } catch (e) {
    if (e instanceof ContactColumnsError) {
      return Response.json({ ok: false, message: `Filen saknar kolumnerna ${e.missing.join(', ')}. Första raden ska innehålla org, name, email och gärna role.` }, { status: 400 });
    }
    if (e instanceof TabularError) {
      return Response.json({ ok: false, message: 'Filen kunde inte läsas. Använd CSV (komma eller semikolon, UTF-8) eller XLSX.' }, { status: 400 });
    }
    throw e;
  }
}

export default function Contacts() {
  const { csrf, counts } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Kontakter</h1>
      <p>
        Kontakterna får inbjudningar och påminnelser för sin organisation och finns med i listan över saknade svar. Nu finns {countText(counts.contacts, 'kontakt', 'kontakter')} för{' '}
        {countText(counts.organisations, 'organisation', 'organisationer')}.
      </p>
      <h2>Läs in kontakter</h2>
      <p>
        En CSV- eller XLSX-fil med kolumnerna <code>org</code> (organisationskod, t.ex. 0180, eller exakt namn), <code>name</code>, <code>email</code> och valfritt{' '}
        <code>role</code>. En kontakt med samma organisation och e-postadress uppdateras. Rader med fel hoppas över och listas nedan; övriga rader läses in.
      </p>
      <Form method="post" encType="multipart/form-data" className="filters">
        <CsrfInput token={csrf} />
        <div className="field">
          <label htmlFor="file">Fil</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,.xlsx,.txt"
            required
            aria-invalid={result && !result.ok ? true : undefined}
            aria-describedby={result && !result.ok ? 'file-error' : undefined}
          />
          {result && !result.ok ? (
            <span className="error" id="file-error">
              {result.message}
            </span>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Läser in…' : 'Läs in'}
        </button>
      </Form>
      {result?.ok ? (
        <section aria-labelledby="result-heading" role="status">
          <h2 id="result-heading">Resultat</h2>
          <p className="flash">
            {result.created} nya kontakter, {result.updated} uppdaterade. {result.problems.length ? `${result.problems.length} rader hoppades över.` : 'Alla rader lästes in.'}
          </p>
          {result.problems.length ? (
            <table className="data-table problem-list">
              <caption>Rader som inte lästes in</caption>
              <thead>
                <tr>
                  <th scope="col">Rad</th>
                  <th scope="col">Problem</th>
                  <th scope="col">Värde</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.map((p) => (
                  <tr key={p.line}>
                    <th scope="row">{p.line}</th>
                    <td>{p.message}</td>
                    <td>{p.value ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
