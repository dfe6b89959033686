import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { ASSIGNMENT_STATUSES } from '../../db/schema';
import { dateOnly, percent, ROUND_PHASE_LABELS, STATUS_LABELS } from '~/utils/admin-labels';
import { RateBar, RateTable } from '~/components/admin-rates';
import { StatusFilters, StatusTable } from '~/components/round-status-list';
import { CsrfInput } from '~/components/csrf-input';
import { listKommungrupper, listLan } from '~/models/organisations/organisations.server';
import { sendInvitations } from '~/models/rounds/invitations.server';
import { remindRound } from '~/models/rounds/reminders.server';
import { closeRoundAudited, extendRoundAudited, parseAdminDate } from '~/models/rounds/admin.server';
import { listStatusPage, roundMailCounts, roundRates } from '~/models/rounds/status.server';
import { getRound, roundPhaseOf } from '~/models/rounds/rounds.server';
import { getSurvey } from '~/models/surveys/surveys.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';
import { countText } from '~/utils/plural';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.round.title ?? 'Omgång'} – Svarsstatus – Enkätnav` }];

// Unknown filter values are ignored: a stale bookmark still shows the list. Route modules build
// their zod schemas in functions: a module-level call would stay in the browser bundle, and
// zod with it (about 90 KB gzipped on every page).
const filterSchema = () =>
  z.object({
    status: z.enum([...ASSIGNMENT_STATUSES, 'missing']).optional().catch(undefined),
    lan: z.string().regex(/^(\d{2}|none)$/).optional().catch(undefined),
    kg: z.string().regex(/^([A-C]\d|none)$/).optional().catch(undefined),
    sida: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  });

async function loadRound(params: { id?: string }) {
  const id = positiveId(params.id);
  const round = id ? await getRound(getDb(), id) : undefined;
  if (!round) throw new Response('Omgången finns inte.', { status: 404 });
  return round;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const round = await loadRound(params);
  const search = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ''));
  const filter = filterSchema().parse(search);
  const db = getDb();
  const [rates, page, lan, kommungrupper, mail] = await Promise.all([
    roundRates(db, round.id),
    listStatusPage(db, round.id, filter, filter.sida ?? 1),
    listLan(db),
    listKommungrupper(db, 2017),
    roundMailCounts(db, round.id),
  ]);
  const phase = roundPhaseOf(round);
  return {
    csrf: csrfToken(request),
    round,
    surveyTitle: getSurvey(round.survey_id)?.meta.title ?? round.survey_id,
    state: ROUND_PHASE_LABELS[phase].long,
    closed: phase === 'closed',
    filter,
    rates,
    page,
    mail,
    lan: lan.map((l) => ({ code: l.code, name: l.name })),
    kommungrupper,
  };
}

const actionSchema = () =>
  z.discriminatedUnion('intent', [
    z.object({ intent: z.literal('invite') }),
    z.object({ intent: z.literal('remind') }),
    z.object({ intent: z.literal('extend'), closes: z.string() }),
    z.object({ intent: z.literal('close'), confirm: z.literal('yes', { error: 'Kryssa i att du vill stänga omgången.' }), reason: z.string().max(500).optional() }),
  ]);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const round = await loadRound(params);
  const parsed = actionSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return Response.json({ ok: false, message: parsed.error.issues[0]?.message ?? 'Ogiltig begäran.' }, { status: 400 });
  }
  const db = getDb();
  const actor = { id: user.id, label: user.email };
  const input = parsed.data;
  switch (input.intent) {
    case 'invite': {
      const r = await sendInvitations(db, round.id);
      return { ok: true, message: mailMessage(['inbjudan', 'inbjudningar'], r) };
    }
    case 'remind': {
      const r = await remindRound(db, round.id);
      return { ok: true, message: mailMessage(['påminnelse', 'påminnelser'], r) };
    }
    case 'extend': {
      const closesAt = parseAdminDate(input.closes, 'end');
      if (!closesAt) return Response.json({ ok: false, field: 'closes', message: 'Ange ny sista svarsdag som ÅÅÅÅ-MM-DD.' }, { status: 400 });
      if (closesAt <= round.opens_at) return Response.json({ ok: false, field: 'closes', message: 'Sista svarsdag måste vara efter öppningsdatum.' }, { status: 400 });
      await extendRoundAudited(db, round.id, closesAt, actor);
      return { ok: true, message: `Sista svarsdag är nu ${dateOnly(closesAt)}.` };
    }
    case 'close': {
      await closeRoundAudited(db, round.id, actor, input.reason?.trim() || undefined);
      return { ok: true, message: 'Omgången är stängd. Bara återöppnade svar kan nu ändras.' };
    }
  }
}

function mailMessage(what: [singular: string, plural: string], r: { enqueued: number; alreadySent: number; noRecipient: number[]; optedOut?: number }) {
  const parts = [`${countText(r.enqueued, ...what)} lades i utkorgen.`];
  if (r.alreadySent) parts.push(`${r.alreadySent} hade redan fått ${what[0] === 'inbjudan' ? 'inbjudan' : 'påminnelse i dag'}.`);
  if (r.noRecipient.length) parts.push(`${r.noRecipient.length} saknar e-postadress – lägg till kontakter under Kontakter.`);
  if (r.optedOut) parts.push(`${r.optedOut} har avböjt påminnelser för omgången.`);
  return parts.join(' ');
}

type ActionData = { ok: boolean; message: string; field?: string };

export default function RoundStatus() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const [search] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { round, rates, page, filter } = data;
  const base = `/admin/omgangar/${round.id}`;
  const withParams = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    return `${base}?${next}`;
  };
  const exportQuery = new URLSearchParams(Object.entries({ lan: filter.lan ?? '', kg: filter.kg ?? '' }).filter(([, v]) => v));
  const missing = rates.overall.total - rates.overall.submitted;

  return (
    <>
      <p>
        <Link to="/admin">← Alla omgångar</Link>
      </p>
      <h1>{round.title}</h1>
      <p>
        {data.surveyTitle} · öppnar {dateOnly(round.opens_at)} · sista svarsdag {dateOnly(round.closes_at)} · <strong>{data.state}</strong>
      </p>
      {search.get('skapad') ? <p className="flash">Omgången är skapad. Skicka inbjudningarna när du är redo.</p> : null}
      {result ? (
        <p className={result.ok ? 'flash' : 'flash error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}

      <section aria-labelledby="rate-heading">
        <h2 id="rate-heading">Svarsfrekvens</h2>
        <div className="rate-summary">
          <p>
            <span className="big">{percent(rates.overall.rate)}</span>
            <br />
            {rates.overall.submitted} av {rates.overall.total} har skickat in · {rates.overall.started} påbörjade · {missing} saknas
          </p>
          <div style={{ flex: 1, minWidth: '12rem' }}>
            <RateBar rate={rates.overall.rate} large />
          </div>
        </div>
        <p>
          {Object.entries(rates.byStatus)
            .map(([s, n]) => `${STATUS_LABELS[s as keyof typeof STATUS_LABELS]}: ${n}`)
            .join(' · ')}
        </p>
        <div className="rate-grid">
          <RateTable caption="Efter län" groupLabel="Län" rows={rates.byLan} emptyLabel="Utan län" hrefFor={(code) => withParams({ lan: code ?? 'none', sida: undefined })} />
          <RateTable caption="Efter kommungrupp (SKR 2017)" groupLabel="Kommungrupp" rows={rates.byKommungrupp} emptyLabel="Utan kommungrupp" hrefFor={(code) => withParams({ kg: code ?? 'none', sida: undefined })} />
        </div>
      </section>

      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Utskick och svarstid</h2>
        <p>
          Inbjudningar: {data.mail.invitation.sent} skickade, {data.mail.invitation.queued} i kö{data.mail.invitation.failed ? `, ${data.mail.invitation.failed} misslyckade` : ''}. Påminnelser: {data.mail.reminder.sent} skickade,{' '}
          {data.mail.reminder.queued} i kö. <Link to="/admin/utkorg">Visa utkorgen</Link>
        </p>
        <div className="admin-actions">
          <Form method="post">
            <CsrfInput token={data.csrf} />
            <button type="submit" name="intent" value="invite" disabled={busy}>
              Skicka inbjudningar
            </button>
          </Form>
          <Form method="post">
            <CsrfInput token={data.csrf} />
            <button type="submit" name="intent" value="remind" disabled={busy || missing === 0} className="secondary">
              Påminn alla som saknas nu ({missing})
            </button>
          </Form>
          <Form method="post">
            <CsrfInput token={data.csrf} />
            <input type="hidden" name="intent" value="extend" />
            <div className="field">
              <label htmlFor="extend-closes">Ny sista svarsdag för alla</label>
              <input
                id="extend-closes"
                name="closes"
                type="date"
                defaultValue={dateOnly(round.closes_at)}
                aria-invalid={result?.field === 'closes' ? true : undefined}
              />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              Ändra svarstid
            </button>
          </Form>
          {data.closed ? null : (
            <Form method="post">
              <CsrfInput token={data.csrf} />
              <input type="hidden" name="intent" value="close" />
              <div className="field">
                <label htmlFor="close-reason">Anledning (valfritt)</label>
                <input id="close-reason" name="reason" type="text" maxLength={500} />
              </div>
              <label>
                <input type="checkbox" name="confirm" value="yes" /> Ja, stäng omgången nu
              </label>
              <button type="submit" className="secondary" disabled={busy}>
                Stäng omgången
              </button>
            </Form>
          )}
        </div>
      </section>

      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Svar per mottagare</h2>
        <StatusFilters filter={filter} lan={data.lan} kommungrupper={data.kommungrupper} />
        <p>
          Saknade svar med kontaktuppgifter{filter.lan || filter.kg ? ' (enligt län- och kommungruppsfiltret)' : ''}:{' '}
          <a href={`${base}/saknade?${new URLSearchParams([...exportQuery, ['format', 'xlsx']])}`} download>
            Ladda ner Excel (XLSX)
          </a>{' '}
          ·{' '}
          <a href={`${base}/saknade?${new URLSearchParams([...exportQuery, ['format', 'csv']])}`} download>
            Ladda ner CSV
          </a>
        </p>
        <p>
          Alla svar i omgången, en rad per svar (kodbok i Excel-filen):{' '}
          <a href={`${base}/export?format=xlsx`} download>
            Svar som Excel (XLSX)
          </a>{' '}
          ·{' '}
          <a href={`${base}/export?format=csv`} download>
            Svar som CSV (komma, för R, Python och LibreOffice)
          </a>{' '}
          ·{' '}
          <a href={`${base}/export?format=csv&dialect=excel-sv`} download>
            Svar som CSV för svenskt Excel (semikolon, decimalkomma)
          </a>{' '}
          ·{' '}
          <a href={`${base}/export?format=xlsx&labels=1`} download>
            Svar som Excel med svarsetiketter
          </a>
        </p>
        <p role="status" aria-live="polite" className="result-count">
          {page.total} svar matchar filtret{page.pages > 1 ? `; sida ${page.page} av ${page.pages} (${page.rows.length} visas)` : ''}.
        </p>
        <StatusTable rows={page.rows} base={base} />
        {page.pages > 1 ? (
          <nav className="pager" aria-label="Sidor">
            {page.page > 1 ? <Link to={withParams({ sida: String(page.page - 1) })}>← Föregående</Link> : null}
            <span>
              Sida {page.page} av {page.pages}
            </span>
            {page.page < page.pages ? <Link to={withParams({ sida: String(page.page + 1) })}>Nästa →</Link> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
