import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getCodebook, getSurveys } from '~/models/surveys/surveys.server';
import surveyCss from '~/styles/survey.css';
import { audienceLabel, familyName, formatDeadline } from '~/utils/survey-labels';

export const meta: MetaFunction = () => [{ title: 'Enkäter – Enkätnav' }];

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: surveyCss }];

export async function loader() {
  const families = new Map<string, { family: string; name: string; audience: string; versions: { id: string; year: number; title: string; questions: number; deadline: string }[] }>();
  for (const s of getSurveys()) {
    const versions = families.get(s.meta.family)?.versions ?? [];
    versions.push({
      id: s.meta.id,
      year: s.meta.year,
      title: s.meta.title,
      questions: getCodebook(s).filter((e) => !e.commentOf).length,
      deadline: formatDeadline(s.meta.defaultDeadline),
    });
    // getSurveys() is sorted by year, so the latest version names the family.
    families.set(s.meta.family, { family: s.meta.family, name: familyName(s.meta), audience: audienceLabel(s.meta.audience), versions });
  }
  return { families: [...families.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv')) };
}

export default function Enkater() {
  const { families } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Enkäter</h1>
      <p className="lead">
        Instrumenten som Enkätnav samlar in svar med: återrapporteringar, Öppna jämförelser och enkäter till
        samverkansparter och målgrupper. Varje år är en egen version; frågor med samma nyckel betyder samma sak alla år, så
        att svaren kan jämföras över tid.
      </p>
      {families.map((f) => (
        <section key={f.family} className="survey-family">
          <h2 id={`familj-${f.family}`}>{f.name}</h2>
          <p className="family-meta">
            Målgrupp: {f.audience} · {f.versions.length} {f.versions.length === 1 ? 'version' : 'versioner'} · nyckel{' '}
            <code>{f.family}</code>
          </p>
          <div className="table-scroll" role="region" aria-labelledby={`familj-${f.family}`} tabIndex={0}>
            <table className="data-table">
              <caption className="visually-hidden">Versioner av {f.name}</caption>
              <thead>
                <tr>
                  <th scope="col">År</th>
                  <th scope="col">Titel</th>
                  <th scope="col" className="num">
                    Frågor
                  </th>
                  <th scope="col">Sista svarsdag</th>
                </tr>
              </thead>
              <tbody>
                {f.versions.map((v) => (
                  <tr key={v.id}>
                    <th scope="row">{v.year}</th>
                    <td>
                      <Link to={`/enkater/${v.id}`}>{v.title}</Link>
                    </td>
                    <td className="num">{v.questions}</td>
                    <td>{v.deadline}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
