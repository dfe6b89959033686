import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { GrantOffers } from '~/components/grant-offers';
import { GrantInputError } from '~/models/grants/programs.server';
import { answerOffer, grantOffers } from '~/models/grants/rekvisition.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { z } from 'zod';
import { dateOnly, dateTime } from '~/utils/admin-labels';
import { feedToken, organisationInbox, type InboxItem } from '~/models/responses/inbox.server';
import { getOrganisationByCode } from '~/models/organisations/organisations.server';
import inboxStyles from '~/styles/inbox.css';
import { appBaseUrl, forbidden, requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: inboxStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.inbox ? `${data.inbox.organisation.name} – Min organisation – Enkätnav` : 'Min organisation – Enkätnav' },
];

// The page holds the organisation's form links and the secret feed address.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });

const querySchema = () => z.object({ org: z.string().trim().min(1).max(40).optional().catch(undefined) });

/** Respondents see their own organisation; administrators may look at any with ?org=<code> (support). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['respondent', 'admin']);
  const db = getDb();
  const query = querySchema().parse(Object.fromEntries(new URL(request.url).searchParams));
  let organisationId = user.organisation_id;
  if (user.role === 'admin') {
    if (!query.org) return { inbox: null, feedUrl: null, asAdmin: true, org: '' };
    const org = await getOrganisationByCode(db, query.org);
    if (!org) throw new Response('Organisationen finns inte.', { status: 404 });
    organisationId = org.id;
  }
  if (organisationId === null) throw forbidden();
  const base = appBaseUrl(request);
  const inbox = await organisationInbox(db, organisationId, { baseUrl: base });
  if (!inbox) throw forbidden();
  // Only the user's own feed: an administrator's view must not hand out a respondent's secret.
  const feedUrl = user.role === 'respondent' ? `${base}/min-organisation/kalender.ics?token=${feedToken(user.id)}` : null;
  const offers = await grantOffers(db, organisationId);
  return { inbox, feedUrl, asAdmin: user.role === 'admin', org: query.org ?? '', offers, csrf: csrfToken(request) };
}

const signSchema = () =>
  z.object({
    ledgerId: z.coerce.number().int().positive(),
    name: z.string().trim().min(1, 'Ange namnet på den som undertecknar.').max(200),
    role: z.string().trim().min(1, 'Ange befattning.').max(200),
    decision: z.enum(['request', 'decline'], { error: 'Välj att rekvirera eller avstå.' }),
  });

/** Rekvisition or decline of a grant, signed by a named person; only the organisation's own users. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['respondent']);
  const form = await request.formData();
  assertCsrf(request, form);
  if (user.organisation_id === null) throw forbidden();
  const parsed = signSchema().safeParse(Object.fromEntries(form));
  const ledgerId = Number(form.get('ledgerId')) || 0;
  if (!parsed.success) return Response.json({ error: { ledgerId, message: parsed.error.issues[0]?.message ?? 'Ogiltig begäran.' } }, { status: 400 });
  try {
    const r = await answerOffer(getDb(), { ...parsed.data, organisationId: user.organisation_id, userId: user.id, email: user.email });
    return { done: parsed.data.decision === 'request' ? `Rekvisitionen är mottagen (referens ${r.reference}). Kvittensen skickas till ${user.email}.` : 'Ni har avstått från medlen. Kvittensen skickas per e-post.' };
  } catch (e) {
    if (e instanceof GrantInputError) return Response.json({ error: { ledgerId, message: e.sv } }, { status: 400 });
    throw e;
  }
}

export default function MyOrganisation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<{ done?: string; error?: { ledgerId: number; message: string } }>();
  if (!data.inbox) return <AdminPicker org={data.org} />;
  const { inbox } = data;
  return (
    <>
      <h1>Min organisation: {inbox.organisation.name}</h1>
      <p className="lead">Alla enkäter och återrapporteringar som {inbox.organisation.name} ska besvara, med sista svarsdag, status och länk till formuläret.</p>
      {data.asAdmin ? <p className="notice">Du ser organisationens översikt som administratör (support).</p> : null}
      {result?.done ? (
        <p className="flash" role="status">
          {result.done}
        </p>
      ) : null}
      {data.offers.length ? <GrantOffers offers={data.offers} csrf={data.csrf} canSign={!data.asAdmin} error={result?.error} /> : null}
      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Att besvara ({inbox.open.length})</h2>
        {inbox.open.length ? <InboxTable caption="Öppna enkäter, sista svarsdag först" items={inbox.open} /> : <p>Inga öppna enkäter just nu.</p>}
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">Tidigare ({inbox.past.length})</h2>
        {inbox.past.length ? <InboxTable caption="Tidigare enkäter, senaste först" items={inbox.past} /> : <p>Inga tidigare enkäter.</p>}
      </section>
      {data.feedUrl ? <FeedBox url={data.feedUrl} /> : null}
    </>
  );
}

function InboxTable({ caption, items }: { caption: string; items: InboxItem[] }) {
  return (
    <table className="data-table inbox-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Enkät</th>
          <th scope="col">Sista svarsdag</th>
          <th scope="col">Status</th>
          <th scope="col">Senast sparad</th>
          <th scope="col">Inskickad</th>
          <th scope="col">Länkar</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.assignmentId}>
            <th scope="row">
              {item.roundTitle}
              <span className="hint">{item.surveyTitle}</span>
            </th>
            <td>
              {dateOnly(item.deadline)}
              {item.extended ? <span className="hint">Förlängd</span> : null}
              {Date.parse(item.opensAt) > Date.now() ? <span className="hint">Öppnar {dateOnly(item.opensAt)}</span> : null}
            </td>
            <td>
              <span className={`badge ${item.status}`}>{item.statusLabel}</span>
              {item.coveredBy ? (
                <span className="hint">
                  Gemensam rapport: {item.coveredBy.name} svarar{item.coveredBy.submitted ? ' (inskickad)' : ''}
                </span>
              ) : null}
            </td>
            <td>
              {dateTime(item.lastSavedAt)}
              {item.lastSavedBy ? <span className="hint">av {item.lastSavedBy}</span> : null}
            </td>
            <td>
              {dateTime(item.submittedAt)}
              {item.submittedBy ? <span className="hint">av {item.submittedBy}</span> : null}
            </td>
            <td>
              <span className="inbox-links">
                <a href={item.formLink}>
                  {item.status === 'submitted' ? 'Visa formuläret' : 'Till formuläret'}
                  <span className="visually-hidden">: {item.roundTitle}</span>
                </a>
                {item.receiptLink ? (
                  <a href={item.receiptLink}>
                    Kvittens<span className="visually-hidden">: {item.roundTitle}</span>
                  </a>
                ) : null}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FeedBox({ url }: { url: string }) {
  return (
    <section className="feed-box" aria-labelledby="feed-heading">
      <h2 id="feed-heading">Sista svarsdagar i din kalender</h2>
      <div className="field">
        <label htmlFor="feed-url">Kalenderadress (iCalendar)</label>
        <input id="feed-url" type="text" readOnly value={url} aria-describedby="feed-hint" onFocus={(e) => e.currentTarget.select()} />
        <p id="feed-hint" className="hint">
          Kopiera adressen och lägg till den som prenumeration i din kalender (till exempel i Outlook: Lägg till kalender → Från internet). Adressen är personlig: dela den inte.
        </p>
      </div>
      <p>
        <a href="/min-organisation/kalender.ics">Ladda ned kalenderfilen</a>
      </p>
    </section>
  );
}

function AdminPicker({ org }: { org: string }) {
  return (
    <>
      <h1>Min organisation</h1>
      <p className="lead">Som administratör kan du se en organisations översikt, till exempel för att hjälpa en svarande.</p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="org">Organisationskod</label>
          <input id="org" name="org" type="text" defaultValue={org} aria-describedby="org-hint" />
          <span id="org-hint" className="hint">
            Till exempel 0180 för Stockholm.
          </span>
        </div>
        <button type="submit">Visa</button>
      </Form>
    </>
  );
}
