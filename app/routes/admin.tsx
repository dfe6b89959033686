import type { LinksFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { AdminNav } from '~/components/admin-nav';
import styles from '~/styles/admin.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

/** Layout of the administration. Each child route checks the admin role itself, on the server. */
export default function AdminLayout() {
  return (
    <>
      <AdminNav />
      <Outlet />
    </>
  );
}
