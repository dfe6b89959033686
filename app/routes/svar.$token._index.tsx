import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { RespondentAnswers } from '~/components/respondent-answers';
import { RespondentError } from '~/components/respondent-error';
import { RespondentForm } from '~/components/respondent-form';
import { surveyLinks } from '~/components/survey-links';
import { formView } from '~/models/responses/respondent-view.server';
import respondentStyles from '~/styles/respondent.css';
import { getDb } from '~/utils/db.server';

export const links: LinksFunction = () => [...surveyLinks(), { rel: 'stylesheet', href: respondentStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.view.roundTitle} – ${data.view.organisationName ?? data.view.personName ?? 'Svara'} – Enkätnav` : 'Länken fungerar inte – Enkätnav' },
  { name: 'robots', content: 'noindex' },
];

// The link is a secret: never send it on as a referrer, never cache the page.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });

export async function loader({ params }: LoaderFunctionArgs) {
  const view = await formView(getDb(), params.token ?? '');
  if (!view) throw new Response('Länken fungerar inte', { status: 404 });
  return { view, token: params.token ?? '' };
}

export default function RespondentPage() {
  const { view, token } = useLoaderData<typeof loader>();
  const prefilledCount = Object.keys(view.prefilled).length;
  return (
    <div className="respondent">
      <header>
        <p className="respondent-org">{view.organisationName ?? view.personName}</p>
        <h1>{view.roundTitle}</h1>
        <dl className="respondent-facts">
          <div>
            <dt>Sista svarsdag</dt>
            <dd>{view.deadlineText}</dd>
          </div>
          <div>
            <dt>Senast sparat</dt>
            <dd data-testid="last-saved">{view.lastSavedText ? `${view.lastSavedText}${view.lastSavedBy ? ` av ${view.lastSavedBy}` : ''}` : 'Inte sparat ännu'}</dd>
          </div>
        </dl>
        <p className="lead">{view.surveyDescription}</p>
      </header>

      {view.reopened ? (
        <p className="respondent-banner" role="note">
          Svaret har öppnats igen för ändringar. Den tidigare inskickade versionen finns kvar i historiken. Skicka in igen när du är klar.
        </p>
      ) : null}

      {view.state === 'open' && prefilledCount > 0 ? (
        <p className="respondent-banner" role="note">
          {prefilledCount === 1 ? 'Ett svar är ifyllt' : `${prefilledCount} svar är ifyllda`} från er organisations svar {view.previousYear ? `för ${view.previousYear}` : 'förra året'}. De är
          markerade med ”Från förra året”. Kontrollera och ändra dem om något har ändrats.
        </p>
      ) : null}

      {view.state === 'open' && view.surveyJson ? (
        <RespondentForm
          token={token}
          surveyJson={view.surveyJson}
          version={view.version}
          data={view.data}
          prefilled={view.prefilled}
          lastSavedAt={view.lastSavedAt}
        />
      ) : (
        <ReadOnly view={view} token={token} />
      )}
    </div>
  );
}

function ReadOnly({ view, token }: { view: ReturnType<typeof useLoaderData<typeof loader>>['view']; token: string }) {
  return (
    <>
      <div className="respondent-locked" role="status">
        {view.state === 'submitted' ? (
          <>
            <p>
              <strong>Svaret är inskickat</strong> {view.submittedText}
              {view.submittedBy ? ` av ${view.submittedBy}` : ''}. Referensnummer: {view.reference}.
            </p>
            <p>
              <a href={`/svar/${token}/kvittens`}>Visa och skriv ut kvittensen</a>
            </p>
          </>
        ) : view.state === 'joint' ? (
          <p>
            <strong>Er organisation svarar tillsammans med {view.jointLeadName}</strong> i den här omgången. {view.jointLeadName} lämnar ett gemensamt svar som gäller även
            er, så det här formuläret fylls inte i.
          </p>
        ) : view.state === 'closed' ? (
          <p>
            <strong>Sista svarsdag har passerat</strong> ({view.deadlineText}). Formuläret kan inte längre ändras.
          </p>
        ) : (
          <p>
            <strong>Enkäten har inte öppnat ännu.</strong> Den öppnar {view.opensText}.
          </p>
        )}
        <p>Behöver något ändras eller har du frågor? {view.contactText}</p>
      </div>
      {view.sections && view.state !== 'not_open' ? (
<RespondentAnswers sections={view.sections} />
      ) : null}
    </>
  );
}

export const ErrorBoundary = RespondentError;
