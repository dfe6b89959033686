import { NavLink } from '@remix-run/react';

const LINKS = [
  { to: '/admin', label: 'Omgångar', end: true },
  { to: '/admin/omgangar/ny', label: 'Ny omgång', end: false },
  { to: '/admin/enkater', label: 'Enkäter', end: false },
  { to: '/admin/medel', label: 'Medel', end: false },
  { to: '/admin/kontakter', label: 'Kontakter', end: false },
  { to: '/admin/utkorg', label: 'Utkorg', end: false },
  { to: '/admin/anvandare', label: 'Användare', end: false },
  { to: '/admin/logg', label: 'Logg', end: false },
  { to: '/konto/api-nycklar', label: 'API-nycklar', end: false },
];

/** The administration's own navigation, shown above every admin page. */
export function AdminNav() {
  return (
    <nav className="admin-nav" aria-label="Administration">
      <ul>
        {LINKS.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end={l.end}>
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
