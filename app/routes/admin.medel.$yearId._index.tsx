import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '~/components/csrf-input';
import { DisagreementList, LedgerTable } from '~/components/grant-ledger';
import { LedgerImportForm, type LedgerImportData } from '~/components/ledger-import';
import { RECIPIENT_LABELS, RULE_LABELS } from '~/models/grants/labels';
import { computeAllocation, listLedger, tabell8 } from '~/models/grants/ledger.server';
import { bookRequestedPayments } from '~/models/grants/ledger-write.server';
import { importLedger } from '~/models/grants/ledger-import.server';
import { getYear, GrantInputError, setRequestReminderDays } from '~/models/grants/programs.server';
import { ImportRowsError } from '~/models/imports/errors.server';
import { remindUnrequested } from '~/models/grants/rekvisition.server';
import { ensureReportRound } from '~/models/grants/report-round.server';
import { syncGrantReports } from '~/models/grants/reports.server';
import { LEDGER_STATUS_LABELS } from '~/models/grants/status';
import { parseAdminDate } from '~/models/rounds/admin.server';
import { dateOnly, kronor } from '~/utils/admin-labels';
import { appBaseUrl, requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';
import { readTabular, TabularError } from '~/utils/tabular.server';
import { readUploadForm, UploadTooLargeError } from '~/utils/upload.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `${data.year.program_name} ${data.year.year}` : 'Medel'} – Administrera – Enkätnav` }];

async function loadYear(params: { yearId?: string }) {
  const id = positiveId(params.yearId);
  const year = id ? await getYear(getDb(), id) : undefined;
  if (!year) throw new Response('Året finns inte.', { status: 404 });
  return year;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const db = getDb();
  const found = await loadYear(params);
  // Reports submitted since the last look are read in before the ledger is shown.
  await syncGrantReports(db, { yearId: found.id });
  const year = (await getYear(db, found.id))!;
  const lines = await listLedger(db, year.id);
  return { csrf: csrfToken(request), year, lines, table: tabell8(lines) };
}

/** Days before the rekvisition deadline for the automatic reminder: 1–90, or empty for none. */
const reminderDays = () =>
  z
    .string()
    .trim()
    .regex(/^(\d{1,2})?$/, 'Ange antal dagar (1–90), eller lämna tomt.')
    .transform((s) => (s === '' ? null : Number(s)));

const actionSchema = () =>
  z.discriminatedUnion('intent', [
    z.object({ intent: z.literal('allocate') }),
    z.object({ intent: z.literal('remind') }),
    z.object({ intent: z.literal('report-round') }),
    z.object({ intent: z.literal('reminder-days'), requestReminderDays: reminderDays() }),
    z.object({
      intent: z.literal('pay'),
      paidAt: z.string().transform((v, ctx) => parseAdminDate(v, 'start') ?? (ctx.addIssue({ code: 'custom', message: 'Ange utbetalningsdag som ÅÅÅÅ-MM-DD.' }), z.NEVER)),
    }),
  ]);

type ActionData = { ok: boolean; message: string } & LedgerImportData;

const MAX_UPLOAD = 2 * 1024 * 1024;

/** The ledger upload: the same all-or-nothing import as `import-grants --year`. */
async function importUpload(request: Request, params: { yearId?: string }, userId: number) {
  let form: FormData;
  try {
    form = await readUploadForm(request, MAX_UPLOAD);
  } catch (e) {
    if (e instanceof UploadTooLargeError) return Response.json({ ok: false, message: 'Filen är för stor: högst 2 MB.' }, { status: 413 });
    throw e;
  }
  assertCsrf(request, form);
  const year = await loadYear(params);
  const file = form.get('file');
  if (!file || typeof file === 'string' || file.size === 0) return Response.json({ ok: false, message: 'Välj en CSV- eller XLSX-fil att läsa in.' }, { status: 400 });
  try {
    const table = await readTabular(Buffer.from(await file.arrayBuffer()), file.name || 'register.csv');
    const r = await importLedger(getDb(), year.id, table, { actorUserId: userId, source: file.name });
    return { ok: true, message: `Registret lästes in: ${r.imported} rader${r.created ? `, varav ${r.created} nya mottagare` : ''}.`, imported: r.imported };
  } catch (e) {
    if (e instanceof ImportRowsError)
      return Response.json(
        { ok: false, message: `Inget lästes in: ${new Set(e.errors.map((r) => r.line)).size} rader har fel. Rätta filen och försök igen.`, rowErrors: e.errors.map((r) => ({ line: r.line, column: r.column ?? '', message: r.sv ?? r.message })) },
        { status: 400 },
      );
    if (e instanceof TabularError) return Response.json({ ok: false, message: 'Filen kunde inte läsas. Använd CSV (komma eller semikolon, UTF-8) eller XLSX.' }, { status: 400 });
    if (e instanceof GrantInputError) return Response.json({ ok: false, message: e.sv }, { status: 400 });
    throw e;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return importUpload(request, params, user.id);
  const form = await request.formData();
  assertCsrf(request, form);
  const year = await loadYear(params);
  const parsed = actionSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) return Response.json({ ok: false, message: parsed.error.issues[0]?.message ?? 'Ogiltig begäran.' }, { status: 400 });
  const db = getDb();
  try {
    switch (parsed.data.intent) {
      case 'allocate': {
        const lines = await computeAllocation(db, year.id, user.id);
        const sum = lines.reduce((s, l) => s + l.amount, 0);
        return { ok: true, message: `Fördelningen är beräknad: ${lines.length} mottagare, summa ${kronor(sum)}.` };
      }
      case 'remind': {
        const r = await remindUnrequested(db, year.id, appBaseUrl(request));
        return { ok: true, message: `${r.enqueued} påminnelser lades i utkorgen.${r.noAddress ? ` ${r.noAddress} mottagare saknar kontakt – lägg till kontakter under Kontakter.` : ''}` };
      }
      case 'pay': {
        const n = await bookRequestedPayments(db, year.id, parsed.data.paidAt, user.id);
        return { ok: true, message: n ? `${n} utbetalningar bokfördes enligt rekvisitionerna.` : 'Det finns inga rekvisitioner som väntar på utbetalning.' };
      }
      case 'reminder-days': {
        const days = parsed.data.requestReminderDays;
        await setRequestReminderDays(db, year.id, days, user.id);
        return { ok: true, message: days ? `Påminnelsen skickas automatiskt ${days} dagar före sista dag för rekvisition.` : 'Ingen automatisk påminnelse skickas.' };
      }
      case 'report-round': {
        const r = await ensureReportRound(db, year.id, user.id);
        return { ok: true, message: `Återrapporteringsomgången har ${r.added} nya mottagare. Skicka inbjudningar från omgångens sida (omgång ${r.roundId}).` };
      }
    }
  } catch (e) {
    if (e instanceof GrantInputError) return Response.json({ ok: false, message: e.sv }, { status: 400 });
    throw e;
  }
}

export default function GrantYearPage() {
  const { csrf, year, lines, table } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const busy = useNavigation().state === 'submitting';
  const base = `/admin/medel/${year.id}`;
  const statuses = ['ej_rekvirerat', 'forbrukat', 'aterbetalt', 'vantar'] as const;
  return (
    <>
      <p>
        <Link to="/admin/medel">Medel</Link>
      </p>
      <h1>
        {year.program_name} {year.year}: {RECIPIENT_LABELS[year.recipient_kind].toLowerCase()}
      </h1>
      <dl className="facts">
        <dt>Totalbelopp</dt>
        <dd>{kronor(year.total_sek)}</dd>
        <dt>Fördelning</dt>
        <dd>
          {RULE_LABELS[year.rule]}
          {year.rule === 'population_floor' ? `, lägst ${kronor(year.floor_sek)}, folkmängd ${year.population_year ?? '–'}` : ''}
        </dd>
        <dt>Sista dag för rekvisition</dt>
        <dd>{dateOnly(year.request_deadline)}</dd>
        <dt>Automatisk påminnelse om rekvisition</dt>
        <dd>{year.request_reminder_days ? `${year.request_reminder_days} dagar före sista dag` : 'Ingen'}</dd>
        <dt>Sista dag för återrapportering</dt>
        <dd>{dateOnly(year.report_deadline)}</dd>
      </dl>
      {result ? (
        <p className={result.ok ? 'flash' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      <div className="action-row">
        {year.rule !== 'decision' && year.requested === 0 ? (
          <Form method="post">
            <CsrfInput token={csrf} />
            <button type="submit" name="intent" value="allocate" disabled={busy}>
              {year.allocated_at ? 'Beräkna fördelningen igen' : 'Beräkna fördelningen'}
            </button>
          </Form>
        ) : null}
        {year.allocated_at ? (
          <>
            <a href={`${base}/fordelning.xlsx`}>Ladda ned fördelningen (XLSX)</a>
            {year.requested > 0 ? <Link to={`${base}/omfordela`}>Fördela om avböjda medel</Link> : null}
            <Form method="post">
              <CsrfInput token={csrf} />
              <button type="submit" name="intent" value="remind" disabled={busy}>
                Påminn dem som inte rekvirerat
              </button>
            </Form>
            <Form method="post">
              <CsrfInput token={csrf} />
              <input type="hidden" name="intent" value="reminder-days" />
              <div className="field">
                <label htmlFor="requestReminderDays">Påminn automatiskt, dagar före sista dag</label>
                <input id="requestReminderDays" name="requestReminderDays" inputMode="numeric" size={3} defaultValue={year.request_reminder_days ?? ''} aria-describedby="reminder-days-hint" />
                <span className="hint" id="reminder-days-hint">
                  1–90 dagar, tomt för ingen.
                </span>
              </div>
              <button type="submit" disabled={busy}>
                Spara påminnelsen
              </button>
            </Form>
            <Form method="post">
              <CsrfInput token={csrf} />
              <input type="hidden" name="intent" value="pay" />
              <div className="field">
                <label htmlFor="paidAt">Utbetalningsdag</label>
                <input id="paidAt" name="paidAt" type="date" required />
              </div>
              <button type="submit" disabled={busy}>
                Bokför utbetalning av rekvirerade belopp
              </button>
            </Form>
            {year.report_survey_id ? (
              <Form method="post">
                <CsrfInput token={csrf} />
                <button type="submit" name="intent" value="report-round" disabled={busy}>
                  Skicka återrapportering till dem som rekvirerat
                </button>
              </Form>
            ) : null}
          </>
        ) : null}
      </div>
      <LedgerImportForm csrf={csrf} result={result} busy={busy} />
      <section aria-labelledby="t8-heading">
        <h2 id="t8-heading">Användning av medlen (Tabell 8)</h2>
        <table className="data-table t8-table">
          <caption className="visually-hidden">Mottagare per status, beräknat ur registret</caption>
          <tbody>
            {statuses.map((s) => (
              <tr key={s} data-status={s}>
                <th scope="row">{LEDGER_STATUS_LABELS[s]}</th>
                <td className="num">{table.counts[s]}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Summa mottagare</th>
              <td className="num">{table.total}</td>
            </tr>
          </tbody>
        </table>
        <p className="hint">
          Fördelat {kronor(table.sums.allocated)} · rekvirerat {kronor(table.sums.requested)} · utbetalt {kronor(table.sums.paid)} · förbrukat {kronor(table.sums.used)} · återbetalt{' '}
          {kronor(table.sums.repaid)} · återkrävt {kronor(table.sums.reclaimed)}
        </p>
      </section>
      <section aria-labelledby="diff-heading">
        <h2 id="diff-heading">Avvikelser att granska</h2>
        <DisagreementList lines={lines} base={base} />
      </section>
      <section aria-labelledby="ledger-heading">
        <h2 id="ledger-heading">Registret ({lines.length})</h2>
        {lines.length ? <LedgerTable lines={lines} total={year.total_sek} base={base} /> : <p>Fördelningen är inte beräknad ännu.</p>}
      </section>
    </>
  );
}
