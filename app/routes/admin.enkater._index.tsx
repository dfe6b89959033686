import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { ErrorSummary, Field } from '~/components/admin-field';
import { CsrfInput } from '~/components/csrf-input';
import { SurveyMetaFields } from '~/components/survey-meta-fields';
import { cloneVersion, createDraftFromUpload } from '~/models/publishing/publishing.server';
import { listVersions } from '~/models/surveys/versions.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Enkäter – Administrera – Enkätnav' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const versions = await listVersions(getDb());
  return { csrf: csrfToken(request), versions };
}

type ActionData = { form: 'clone' | 'upload'; problems: string[]; fields: Record<string, string> };

// Built in a function: a module-level schema would keep zod in the browser bundle (test/e2e/bundle.test.ts).
const cloneSchema = () => z.object({ source: z.string().min(1, 'Välj en version att utgå från.'), year: z.coerce.number({ error: 'Ange ett år.' }).int('Ange ett helt år.') });

/** The metadata fields of the upload form; empty ones come from the file's own meta block. */
function metaInput(form: FormData, fileMeta: Record<string, unknown> | null) {
  const pick = (name: string) => {
    const v = String(form.get(name) ?? '').trim();
    return v || (fileMeta?.[name] as string | number | undefined);
  };
  const kinds = form.getAll('audience').map(String);
  const audience = kinds.includes('person') ? 'person' : kinds.length ? kinds : fileMeta?.audience;
  return { family: pick('family'), year: pick('year'), title: pick('title'), description: pick('description'), audience, defaultDeadline: pick('defaultDeadline'), source: pick('source') };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const db = getDb();
  if (form.get('intent') === 'clone') {
    const parsed = cloneSchema().safeParse({ source: form.get('source'), year: form.get('year') });
    if (!parsed.success) return Response.json({ form: 'clone', problems: [], fields: { [`clone-${String(parsed.error.issues[0].path[0])}`]: parsed.error.issues[0].message } } satisfies ActionData, { status: 400 });
    const result = await cloneVersion(db, { id: user.id }, parsed.data.source, parsed.data.year);
    if (result.ok) return redirect(`/admin/enkater/${result.id}`);
    return Response.json({ form: 'clone', problems: result.problems.map((p) => p.message), fields: Object.fromEntries(Object.entries(result.fields ?? {}).map(([k, v]) => [`clone-${k}`, v])) } satisfies ActionData, { status: 400 });
  }
  const file = form.get('file');
  if (!file || typeof file === 'string' || file.size === 0) return Response.json({ form: 'upload', problems: [], fields: { file: 'Välj en JSON-fil med en SurveyJS-enkät.' } } satisfies ActionData, { status: 400 });
  const text = await file.text();
  let fileMeta: Record<string, unknown> | null = null;
  try {
    const json = JSON.parse(text);
    if (json && typeof json.meta === 'object' && !Array.isArray(json.meta)) fileMeta = json.meta;
  } catch {
    // the model reports where the JSON breaks
  }
  const result = await createDraftFromUpload(db, { id: user.id }, { text, bytes: file.size, meta: metaInput(form, fileMeta) });
  if (result.ok) return redirect(`/admin/enkater/${result.id}`);
  return Response.json({ form: 'upload', problems: result.problems.map((p) => p.message), fields: result.fields ?? {} } satisfies ActionData, { status: 400 });
}

const STATUS = { utkast: 'Utkast', publicerad: 'Publicerad' } as const;

export default function AdminSurveys() {
  const { csrf, versions } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const deleted = search.get('borttagen');
  const result = useActionData<ActionData>();
  const families = [...new Set(versions.map((v) => v.family))];
  const published = versions.filter((v) => v.status === 'publicerad');
  const uploadErrors: Record<string, string> = result?.form === 'upload' ? { ...result.fields, ...(result.problems.length ? { file: result.problems.join(' ') } : {}) } : {};
  const cloneErrors: Record<string, string> = result?.form === 'clone' ? { ...result.fields, ...(result.problems.length ? { 'clone-source': result.problems.join(' ') } : {}) } : {};
  return (
    <>
      <h1>Enkäter</h1>
      {deleted ? (
        <p className="flash" role="status">
          Utkastet {deleted} är borttaget.
        </p>
      ) : null}
      <p>Versionerna av varje enkät, per familj och år. En version som en omgång har använt kan inte ändras. Ett utkast syns inte för någon annan förrän det publiceras.</p>
      {families.map((family) => (
        <section key={family} aria-labelledby={`fam-${family}`}>
          <h2 id={`fam-${family}`}>{family}</h2>
          <table className="data-table">
            <caption className="visually-hidden">Versioner av {family}</caption>
            <thead>
              <tr>
                <th scope="col">År</th>
                <th scope="col">Version</th>
                <th scope="col">Titel</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {versions
                .filter((v) => v.family === family)
                .map((v) => (
                  <tr key={v.id}>
                    <td>{v.year}</td>
                    <th scope="row">
                      <Link to={`/admin/enkater/${v.id}`}>{v.id}</Link>
                    </th>
                    <td>{v.title}</td>
                    <td>
                      {STATUS[v.status]}
                      {v.rounds ? `, används i ${v.rounds === 1 ? 'en omgång' : `${v.rounds} omgångar`}` : ''}
                      {v.source === 'fil' ? ' (inbyggd)' : ''}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}

      <h2 id="kopiera">Ny version från en tidigare</h2>
      <p>Kopierar en version till ett utkast för ett nytt år. Nycklarna följer med, så trenderna fortsätter.</p>
      <ErrorSummary errors={cloneErrors} />
      <Form method="post" className="filters" aria-labelledby="kopiera">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="clone" />
        <Field name="clone-source" label="Utgå från" error={cloneErrors['clone-source']}>
          {(p) => (
            <select {...p} name="source" required defaultValue={published.at(-1)?.id}>
              {published.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="clone-year" label="För år" error={cloneErrors['clone-year']}>
          {(p) => <input {...p} name="year" type="number" inputMode="numeric" min={1990} max={2100} required />}
        </Field>
        <button type="submit">Skapa utkast</button>
      </Form>

      <h2 id="ladda-upp">Ny från en fil</h2>
      <p>
        En SurveyJS-enkät i JSON (högst 2 MB) från valfri SurveyJS-redigerare, med eller utan vårt <code>meta</code>-block. Fält du lämnar tomma hämtas från filens{' '}
        <code>meta</code>-block.
      </p>
      <ErrorSummary errors={uploadErrors} />
      <Form method="post" encType="multipart/form-data" aria-labelledby="ladda-upp">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="upload" />
        <Field name="file" label="Fil (JSON)" error={uploadErrors.file}>
          {(p) => <input {...p} type="file" accept=".json,application/json" required />}
        </Field>
        <SurveyMetaFields errors={uploadErrors} withFamily />
        <button type="submit">Ladda upp som utkast</button>
      </Form>
    </>
  );
}
