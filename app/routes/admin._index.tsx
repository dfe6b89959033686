import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { dateOnly, percent, ROUND_PHASE_LABELS } from '~/utils/admin-labels';
import { RateBar } from '~/components/admin-rates';
import { listRoundsOverview } from '~/models/rounds/admin.server';
import { roundPhaseOf } from '~/models/rounds/rounds.server';
import { getSurvey } from '~/models/surveys/surveys.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Omgångar – Administrera – Enkätnav' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const now = new Date();
  const rounds = (await listRoundsOverview(getDb())).map((r) => ({
    ...r,
    surveyTitle: getSurvey(r.survey_id)?.meta.title ?? r.survey_id,
    state: ROUND_PHASE_LABELS[roundPhaseOf(r, now)].short,
  }));
  return { rounds };
}

export default function AdminIndex() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Omgångar</h1>
      <p>
        <Link className="button" to="/admin/omgangar/ny">
          Skapa ny omgång
        </Link>
      </p>
      {rounds.length === 0 ? (
        <p className="notice">Det finns inga omgångar ännu. Skapa en omgång för att bjuda in organisationer att svara.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Alla omgångar, nyast först</caption>
          <thead>
            <tr>
              <th scope="col">Omgång</th>
              <th scope="col">Enkät</th>
              <th scope="col">Öppnar</th>
              <th scope="col">Sista svarsdag</th>
              <th scope="col">Läge</th>
              <th scope="col" className="num">
                Inskickade
              </th>
              <th scope="col" className="num">
                Svarsfrekvens
              </th>
              <th scope="col" className="rate-cell">
                <span className="visually-hidden">Stapel</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((r) => {
              const rate = r.total ? r.submitted / r.total : 0;
              return (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/admin/omgangar/${r.id}`}>{r.title}</Link>
                  </th>
                  <td>{r.surveyTitle}</td>
                  <td>{dateOnly(r.opens_at)}</td>
                  <td>{dateOnly(r.closes_at)}</td>
                  <td>{r.state}</td>
                  <td className="num">
                    {r.submitted} av {r.total}
                  </td>
                  <td className="num">{percent(rate)}</td>
                  <td className="rate-cell">
                    <RateBar rate={rate} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
