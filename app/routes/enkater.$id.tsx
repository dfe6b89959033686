import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { SurveyModel } from 'survey-core';
import { ClientOnly } from '~/components/client-only';
import { SurveyForm } from '~/components/survey-form';
import { surveyLinks } from '~/components/survey-links';
import { familyVersions, getCodebook, getSurvey } from '~/models/surveys/surveys.server';
import { audienceLabel, formatDeadline, KIND_NAMES } from '~/utils/survey-labels';

export const links: LinksFunction = () => surveyLinks();

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meta.title ?? 'Enkät'} – Enkätnav` }];

export async function loader({ params }: LoaderFunctionArgs) {
  const survey = getSurvey(params.id ?? '');
  if (!survey) throw new Response('Det finns ingen enkät med den adressen.', { status: 404 });
  return {
    meta: survey.meta,
    json: survey.json,
    codebook: getCodebook(survey),
    versions: familyVersions(survey.meta.family).map((s) => ({ id: s.meta.id, year: s.meta.year })),
  };
}

/** The preview never saves: one can page freely, required questions do not block, no complete button. */
function previewOptions(model: SurveyModel) {
  model.checkErrorsMode = 'onComplete';
  model.onCompleting.add((_, options) => {
    options.allow = false;
  });
}

export default function EnkatPreview() {
  const { meta, json, codebook, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Brödsmulor" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/enkater">Enkäter</Link>
          </li>
          <li aria-current="page">{meta.id}</li>
        </ol>
      </nav>
      <h1>{meta.title}</h1>
      <p className="lead">{meta.description}</p>
      <dl className="survey-meta">
        <dt>Målgrupp</dt>
        <dd>{audienceLabel(meta.audience)}</dd>
        <dt>År</dt>
        <dd>{meta.year}</dd>
        <dt>Sista svarsdag</dt>
        <dd>{formatDeadline(meta.defaultDeadline)} (förval)</dd>
        <dt>Källa</dt>
        <dd>{meta.source}</dd>
      </dl>
      {versions.length > 1 ? (
        <nav aria-label="Versioner av enkäten">
          <ul className="survey-versions">
            {versions.map((v) => (
              <li key={v.id}>
                <Link to={`/enkater/${v.id}`} aria-current={v.id === meta.id ? 'page' : undefined}>
                  {v.year}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {meta.notes?.length ? (
        <details>
          <summary>Vad som är härlett snarare än hämtat ur källan</summary>
          <ul>
            {meta.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}

      <h2>Förhandsgranskning</h2>
      <p className="notice">Så här ser formuläret ut för den som svarar. Inget du fyller i här sparas.</p>
      <ClientOnly fallback={<div className="survey-placeholder">Formuläret laddas …</div>}>
        {() => <SurveyForm key={meta.id} json={json} onModel={previewOptions} showCompleteButton={false} />}
      </ClientOnly>

      <h2 id="kodbok">Kodbok</h2>
      <p>
        Varje rad är en nyckel i svaren. Hela kodboken finns också via kommandoraden:{' '}
        <code>npm run cli -- codebook {meta.id}</code>.
      </p>
      <div className="table-scroll" role="region" aria-labelledby="kodbok" tabIndex={0}>
        <table className="data-table codebook">
          <caption className="visually-hidden">Kodbok för {meta.title}</caption>
          <thead>
            <tr>
              <th scope="col">Nyckel</th>
              <th scope="col">Fråga</th>
              <th scope="col">Typ</th>
              <th scope="col">Svarsalternativ</th>
            </tr>
          </thead>
          <tbody>
            {codebook.map((e) => (
              <tr key={e.key}>
                <th scope="row">
                  <code>{e.key}</code>
                </th>
                <td>
                  {e.text}
                  {e.required ? ' (obligatorisk)' : ''}
                </td>
                <td>{KIND_NAMES[e.kind] ?? e.kind}</td>
                <td>
                  {e.rows?.length ? (
                    <>
                      Rader:
                      <ul>
                        {e.rows.map((r) => (
                          <li key={r.value}>
                            <code>{r.value}</code> {r.label}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                  {e.options?.length ? (
                    <ul>
                      {e.options.map((o) => (
                        <li key={o.value}>
                          <code>{o.value}</code> {o.label}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
