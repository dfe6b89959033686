import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listComparisons } from '~/models/comparisons/saved.server';
import styles from '~/styles/jamfor.css';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Jämför – Enkätnav' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['evaluator', 'admin']);
  return { comparisons: await listComparisons(getDb()) };
}

export default function Jamfor() {
  const { comparisons } = useLoaderData<typeof loader>();
  const saved = comparisons.filter((c) => c.origin === 'saved');
  const files = comparisons.filter((c) => c.origin === 'file');
  return (
    <>
      <h1>Jämför</h1>
      <p className="lead">Dela upp svar och medel efter län, kommungrupp, storlek och år, och gör figurer och tabeller med n och bortfall.</p>
      <p>
        <Link className="button" to="/jamfor/ny">
          Ny jämförelse
        </Link>{' '}
        <Link className="button secondary" to="/jamfor/karta">
          Karta över kommunerna
        </Link>{' '}
        <Link className="button secondary" to="/konto/api-nycklar">
          API-nycklar
        </Link>
      </p>
      <h2>Sparade jämförelser</h2>
      {saved.length === 0 ? (
        <p>Inga sparade jämförelser ännu.</p>
      ) : (
        <ul className="cmp-list">
          {saved.map((c) => (
            <li key={c.id}>
              <Link to={`/jamfor/${c.id}`}>{c.title}</Link>
            </li>
          ))}
        </ul>
      )}
      <h2>Figurer och tabeller ur rapporterna</h2>
      <ul className="cmp-list">
        {files.map((c) => (
          <li key={c.id}>
            <Link to={`/jamfor/${c.id}`}>{c.title}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
