import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useNavigation, useSubmit } from '@remix-run/react';
import { z } from 'zod';
import { ORGANISATION_KINDS } from '../../db/schema';
import { countOrganisationsByKind, listKommungrupper, listLan, listOrganisations } from '~/models/organisations/organisations.server';
import { getDb } from '~/utils/db.server';
import { KIND_LABELS } from '~/utils/organisation-kinds';

export const meta: MetaFunction = () => [{ title: 'Organisationer – Enkätnav' }];

// Unknown filter values are ignored rather than an error: a stale bookmark still shows the list.
const querySchema = () =>
  z.object({
    kind: z.enum(ORGANISATION_KINDS).optional().catch(undefined),
    lan: z.string().regex(/^\d{2}$/).optional().catch(undefined),
    kg: z.string().regex(/^[ABC]\d$/).optional().catch(undefined),
    q: z.string().max(100).optional().catch(undefined),
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = querySchema().parse(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '')));
  const db = getDb();
  const [organisations, lan, kommungrupper, byKind] = await Promise.all([
    listOrganisations(db, { kind: filter.kind, lan: filter.lan, kommungrupp2017: filter.kg, q: filter.q }),
    listLan(db),
    listKommungrupper(db, 2017),
    countOrganisationsByKind(db),
  ]);
  return { filter, organisations, lan, kommungrupper, byKind };
}

export default function Organisationer() {
  const { filter, organisations, lan, kommungrupper, byKind } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const searching = navigation.state === 'loading' && navigation.location?.pathname === '/organisationer';

  return (
    <>
      <h1>Organisationer</h1>
      <p>
        Registret omfattar{' '}
        {ORGANISATION_KINDS.filter((k) => byKind[k])
          .map((k) => `${byKind[k]} ${KIND_LABELS[k].many.toLowerCase()}`)
          .join(', ')}
        .
      </p>
      <Form method="get" className="filters" role="search" aria-label="Filtrera organisationer" onChange={(e) => submit(e.currentTarget, { replace: true })}>
        <div className="field">
          <label htmlFor="q">Sök namn eller kod</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="kind">Typ</label>
          <select id="kind" name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">Alla typer</option>
            {ORGANISATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k].one}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="lan">Län</label>
          <select id="lan" name="lan" defaultValue={filter.lan ?? ''}>
            <option value="">Alla län</option>
            {lan.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kg">Kommungrupp (SKR 2017)</label>
          <select id="kg" name="kg" defaultValue={filter.kg ?? ''}>
            <option value="">Alla kommungrupper</option>
            {kommungrupper.map((g) => (
              <option key={g.code} value={g.code}>
                {g.code} {g.name} ({g.count})
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filtrera</button>
      </Form>

      <p role="status" aria-live="polite" className="result-count">
        {searching ? 'Söker…' : `${organisations.length} organisationer visas.`}
      </p>

      <table className="data-table">
        <caption className="visually-hidden">Organisationer som matchar filtret</caption>
        <thead>
          <tr>
            <th scope="col">Kod</th>
            <th scope="col">Namn</th>
            <th scope="col">Typ</th>
            <th scope="col">Län</th>
            <th scope="col">Kommungrupp 2017</th>
            <th scope="col">Kommungrupp 2023</th>
            <th scope="col" className="num">
              Folkmängd
            </th>
          </tr>
        </thead>
        <tbody>
          {organisations.map((o) => (
            <tr key={o.id}>
              <td>{o.code}</td>
              <th scope="row">{o.name}</th>
              <td>{KIND_LABELS[o.kind].one}</td>
              <td>{o.lan_name ?? '–'}</td>
              <td>{o.kommungrupp2017_code ? <abbr title={o.kommungrupp2017_name ?? ''}>{o.kommungrupp2017_code}</abbr> : '–'}</td>
              <td>{o.kommungrupp2023_code ? <abbr title={o.kommungrupp2023_name ?? ''}>{o.kommungrupp2023_code}</abbr> : '–'}</td>
              <td className="num">{o.population != null ? o.population.toLocaleString('sv-SE') : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
