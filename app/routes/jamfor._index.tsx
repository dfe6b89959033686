import type { MetaFunction } from '@remix-run/node';
import { NotBuilt } from '~/components/not-built';

export const meta: MetaFunction = () => [{ title: 'Jämför – Enkätnav' }];

export default function Jamfor() {
  return <NotBuilt title="Jämför">Jämförelserna är inte byggda ännu.</NotBuilt>;
}
