import type { MetaFunction } from '@remix-run/node';
import { NotBuilt } from '~/components/not-built';

export const meta: MetaFunction = () => [{ title: 'Administrera – Enkätnav' }];

export default function Admin() {
  return <NotBuilt title="Administrera">Administrationen (omgångar, inbjudningar och påminnelser) är inte byggd ännu.</NotBuilt>;
}
