import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { RespondentAnswers } from '~/components/respondent-answers';
import { RespondentError } from '~/components/respondent-error';
import { receiptView } from '~/models/responses/respondent-view.server';
import respondentStyles from '~/styles/respondent.css';
import { getDb } from '~/utils/db.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: respondentStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.receipt ? `Kvittens ${data.receipt.reference} – Enkätnav` : 'Kvittens – Enkätnav' },
  { name: 'robots', content: 'noindex' },
];

// The link is a secret: never send it on as a referrer, never cache the page.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });

export async function loader({ params }: LoaderFunctionArgs) {
  const receipt = await receiptView(getDb(), params.token ?? '');
  if (receipt === undefined) throw new Response('Länken fungerar inte', { status: 404 });
  return { receipt, token: params.token ?? '' };
}

export default function Receipt() {
  const { receipt, token } = useLoaderData<typeof loader>();
  if (!receipt) {
    return (
      <section className="respondent receipt">
        <h1>Ingen kvittens ännu</h1>
        <p>Svaret har inte skickats in, så det finns ingen kvittens att visa.</p>
        <p>
          <a href={`/svar/${token}`}>Till formuläret</a>
        </p>
      </section>
    );
  }
  return (
    <article className="respondent receipt">
      <header className="receipt-header">
        <p className="respondent-org">{receipt.organisationName ?? receipt.personName}</p>
        <h1>Kvittens: {receipt.roundTitle}</h1>
        <dl className="respondent-facts">
          <div>
            <dt>Referensnummer</dt>
            <dd className="receipt-reference">{receipt.reference}</dd>
          </div>
          <div>
            <dt>Inskickat</dt>
            <dd>
              {receipt.submittedText}
              {receipt.submittedBy ? ` av ${receipt.submittedBy}` : ''}
            </dd>
          </div>
          <div>
            <dt>Formulär</dt>
            <dd>{receipt.surveyTitle}</dd>
          </div>
        </dl>
        {receipt.reopened ? (
          <p className="notice">Svaret har öppnats igen för ändringar. Kvittensen visar den senast inskickade versionen.</p>
        ) : (
          <p className="receipt-thanks">Tack! Svaret är inskickat och låst. Spara eller skriv ut sidan som kvitto.</p>
        )}
        <p className="no-print">
          <PrintButton /> <a href={`/svar/${token}`}>Till formuläret</a>
        </p>
      </header>
      <RespondentAnswers sections={receipt.sections} />
    </article>
  );
}

function PrintButton() {
  return (
    <button type="button" className="secondary" onClick={() => window.print()}>
      Skriv ut
    </button>
  );
}

export const ErrorBoundary = RespondentError;
