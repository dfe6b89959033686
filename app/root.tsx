import type { LinksFunction, MetaFunction } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import styles from './styles/app.css';
import { useNonce } from './utils/nonce';

// The icon is linked, so browsers do not ask for /favicon.ico (a 404 in every page's console).
export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: styles },
];

export const meta: MetaFunction = () => [{ title: 'Enkätnav' }];

const NAV = [
  { to: '/svara', label: 'Svara' },
  { to: '/min-organisation', label: 'Min organisation' },
  { to: '/admin', label: 'Administrera' },
  { to: '/jamfor', label: 'Jämför' },
  { to: '/enkater', label: 'Enkäter' },
  { to: '/organisationer', label: 'Organisationer' },
  { to: '/logga-in', label: 'Inloggning' },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Hoppa till huvudinnehållet
        </a>
        <header className="site-header">
          <a className="brand" href="/">
            Enkätnav
          </a>
          <nav aria-label="Huvudmeny">
            <ul>
              {NAV.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} prefetch="intent">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Enkätnav – insamling, påminnelser och jämförelser för offentlig sektor.</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const notFound = error.status === 404;
    return (
      <section className="error-page">
        <h1>{notFound ? 'Sidan finns inte' : `Något gick fel (${error.status})`}</h1>
        <p>
          {notFound
            ? 'Adressen du följde leder inte till någon sida här. Kontrollera länken, eller gå till startsidan.'
            : typeof error.data === 'string' && error.data
              ? error.data
              : 'Försök igen om en stund.'}
        </p>
        <p>
          <a href="/">Till startsidan</a>
        </p>
      </section>
    );
  }
  return (
    <section className="error-page">
      <h1>Något gick fel</h1>
      <p>Ett oväntat fel inträffade. Inget av det du redan sparat har gått förlorat. Försök igen om en stund.</p>
      <p>
        <a href="/">Till startsidan</a>
      </p>
    </section>
  );
}
