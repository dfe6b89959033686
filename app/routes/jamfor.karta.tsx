import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { MapFigure } from '~/components/map-figure';
import { ComparisonError } from '~/models/comparisons/compute.server';
import { kommunMap, type KommunMap, type MapSource } from '~/models/comparisons/map.server';
import { listGrantPrograms } from '~/models/grants/grants.server';
import styles from '~/styles/jamfor.css';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Karta över kommunerna – Enkätnav' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

const querySchema = () =>
  z.object({
    program: z.string().max(200).optional().catch(undefined),
    ar: z.array(z.coerce.number().int().min(1990).max(2100)).max(4).catch([]),
  });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['evaluator', 'admin']);
  const url = new URL(request.url);
  const query = querySchema().parse({ program: url.searchParams.get('program') || undefined, ar: url.searchParams.getAll('ar') });
  const programs = await listGrantPrograms(getDb());
  const program = programs.find((p) => p.program === query.program) ?? programs[0];
  // Default: 2014 and 2018 as in source 003 Figur 4, else the two latest years.
  const fallback = [2014, 2018].every((y) => program?.years.includes(y)) ? [2014, 2018] : (program?.years.slice(-2) ?? []);
  const years = query.ar.filter((y) => program?.years.includes(y));
  const chosen = years.length ? years : fallback;
  const maps: { heading: string; map: KommunMap }[] = [];
  let error: string | null = null;
  try {
    for (const year of chosen) {
      const source: MapSource = { kind: 'grant', program: program!.program, year };
      maps.push({ heading: `Status ${year}`, map: await kommunMap(getDb(), source) });
    }
  } catch (e) {
    if (!(e instanceof ComparisonError)) throw e;
    error = e.sv;
  }
  return { programs, program: program?.program ?? null, years: chosen, maps, error };
}

export default function Karta() {
  const { programs, program, years, maps, error } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const current = programs.find((p) => p.program === program);
  return (
    <>
      <p>
        <Link to="/jamfor">← Jämför</Link>
      </p>
      <h1>Karta över kommunerna</h1>
      <p className="lead">Varje kommuns status för medlen ett visst år (jfr Figur 4 i Socialstyrelsens slutredovisning).</p>
      {programs.length === 0 ? (
        <p>Det finns inga medel i registret ännu. De kommer från programåren under Administrera → Medel när återrapporteringarna är inskickade.</p>
      ) : (
        <Form method="get" className="filters" aria-label="Välj karta">
          <div className="field">
            <label htmlFor="program">Program</label>
            <select id="program" name="program" defaultValue={program ?? ''}>
              {programs.map((p) => (
                <option key={p.program}>{p.program}</option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>År</legend>
            {(current?.years ?? []).map((y) => (
              <label key={y}>
                <input type="checkbox" name="ar" value={y} defaultChecked={years.includes(y)} /> {y}
              </label>
            ))}
          </fieldset>
          <button type="submit">Visa</button>
          {navigation.state === 'loading' && <span role="status">Ritar kartan…</span>}
        </Form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="cmp-maps">
        {maps.map((m) => (
          <MapFigure key={m.heading} heading={m.heading} map={m.map} />
        ))}
      </div>
      <p className="cmp-source">Källa: medelsregistret ({program}).</p>
    </>
  );
}
