import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ChartFigure } from '~/components/chart-figure';
import { CsrfInput } from '~/components/csrf-input';
import { FigurePolicy, MoneyTable } from '~/components/figure-policy';
import { tryFigure } from '~/models/comparisons/figure.server';
import { deleteComparison, getComparisonDefinition } from '~/models/comparisons/saved.server';
import styles from '~/styles/jamfor.css';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Jämförelse'} – Enkätnav` }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

function notFound(): Response {
  return new Response('Jämförelsen finns inte.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['evaluator', 'admin']);
  const id = params.id ?? '';
  const def = await getComparisonDefinition(getDb(), id);
  if (!def) throw notFound();
  const figure = await tryFigure(getDb(), def);
  return { id, title: def.title, saved: id.startsWith('db-'), chart: figure.chart ?? null, error: figure.error ?? null, csrf: csrfToken(request) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request, ['evaluator', 'admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const match = /^db-(\d+)$/.exec(params.id ?? '');
  if (!match) throw notFound();
  await deleteComparison(getDb(), Number(match[1]));
  return redirect('/jamfor');
}

export default function Jamforelse() {
  const { id, title, saved, chart, error, csrf } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/jamfor">← Alla jämförelser</Link>
      </p>
      <h1>{title}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {chart && chart.result.measure.kind === 'money' && <MoneyTable result={chart.result} />}
      {chart && <ChartFigure chart={chart} exportBase={`/jamfor/${id}/export`} />}
      {chart && <FigurePolicy result={chart.result} />}
      {saved && (
        <Form method="post">
          <CsrfInput token={csrf} />
          <button type="submit" className="secondary">
            Ta bort jämförelsen
          </button>
        </Form>
      )}
    </>
  );
}
