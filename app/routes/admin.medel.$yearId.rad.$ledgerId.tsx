import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ErrorSummary, Field } from '~/components/admin-field';
import { CsrfInput } from '~/components/csrf-input';
import { listAudit } from '~/models/auth/audit.server';
import { getLedgerLine } from '~/models/grants/ledger.server';
import { markReviewed, recordReclaim, updateLedgerRow } from '~/models/grants/ledger-write.server';
import { GrantInputError } from '~/models/grants/programs.server';
import { parseAdminDate } from '~/models/rounds/admin.server';
import { dateOnly, dateTime, kronor } from '~/utils/admin-labels';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.line.name ?? 'Rad'} – Medel – Enkätnav` }];

async function load(params: { yearId?: string; ledgerId?: string }) {
  const id = positiveId(params.ledgerId);
  const found = id ? await getLedgerLine(getDb(), id) : undefined;
  if (!found || String(found.year.id) !== params.yearId) throw new Response('Raden finns inte.', { status: 404 });
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const { line, year } = await load(params);
  const history = await listAudit(getDb(), { entity: 'grant_ledger', entityId: line.id, limit: 50 });
  return { csrf: csrfToken(request), line, year, history: history.map((h) => ({ id: h.id, at: h.created_at, action: h.action, who: h.actor_email, after: h.after, reason: h.reason })) };
}

const sek = (label: string) => z.string().transform((s) => s.replace(/[\s\u00a0]/g, '')).pipe(z.string().regex(/^\d{0,13}$/, `${label} ska vara ett helt antal kronor, 0 eller mer.`));
const optionalSek = (label: string) => sek(label).transform((s) => (s === '' ? null : Number(s)));
const date = (label: string) =>
  z.string().transform((v, ctx) => (v.trim() === '' ? null : (parseAdminDate(v, 'start') ?? (ctx.addIssue({ code: 'custom', message: `Ange ${label} som ÅÅÅÅ-MM-DD.` }), z.NEVER))));
// Built in functions: a module-level schema would keep zod in the browser bundle (test/e2e/bundle.test.ts).
const reason = () => z.string().trim().min(1, 'Ange ett skäl till ändringen.').max(500);

const actionSchema = () =>
  z.discriminatedUnion('intent', [
    z.object({
      intent: z.literal('edit'),
      allocated_sek: sek('Fördelat').transform((s) => Number(s || 0)),
      requested_sek: optionalSek('Rekvirerat'),
      paid_sek: optionalSek('Utbetalt'),
      paid_at: date('utbetalningsdag'),
      used_sek: optionalSek('Förbrukat'),
      repaid_sek: sek('Återbetalt').transform((s) => Number(s || 0)),
      repaid_at: date('återbetalningsdag'),
      request_extended_until: z.string().transform((v, ctx) => (v.trim() === '' ? null : (parseAdminDate(v, 'end') ?? (ctx.addIssue({ code: 'custom', message: 'Ange förlängd rekvisition som ÅÅÅÅ-MM-DD.' }), z.NEVER)))),
      reason: reason(),
    }),
    z.object({ intent: z.literal('review'), note: z.string().trim().max(500) }),
    z.object({ intent: z.literal('reclaim'), amount: sek('Återkravet').transform(Number), reclaimReason: z.string().trim().min(1, 'Ange skälet till återkravet.').max(500) }),
  ]);

type ActionData = { ok: boolean; message?: string; errors?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const { line } = await load(params);
  const parsed = actionSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'form'), i.message]));
    return Response.json({ ok: false, errors } satisfies ActionData, { status: 400 });
  }
  const db = getDb();
  try {
    const input = parsed.data;
    if (input.intent === 'edit') {
      const { intent: _, reason: why, ...patch } = input;
      await updateLedgerRow(db, line.id, patch, why, user.id);
      return { ok: true, message: 'Ändringen är sparad och loggad.' } satisfies ActionData;
    }
    if (input.intent === 'review') {
      await markReviewed(db, line.id, user.id, input.note);
      return { ok: true, message: 'Återrapporteringen är markerad som granskad.' } satisfies ActionData;
    }
    await recordReclaim(db, line.id, input.amount, input.reclaimReason, user.id);
    return { ok: true, message: `Återkrav på ${kronor(input.amount)} är registrerat. Det syns i organisationens översikt.` } satisfies ActionData;
  } catch (e) {
    if (e instanceof GrantInputError) {
      const field = parsed.data.intent === 'reclaim' && e.field === 'reason' ? 'reclaimReason' : (e.field ?? 'form');
      return Response.json({ ok: false, errors: { [field]: e.sv } } satisfies ActionData, { status: 400 });
    }
    throw e;
  }
}

const dateValue = (iso: string | null) => (iso ? dateOnly(iso) : '');

export default function LedgerRowPage() {
  const { csrf, line, year, history } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const errors = result?.errors ?? {};
  const money = (name: string, label: string, value: number | null, hint?: string) => (
    <Field name={name} label={label} error={errors[name]} hint={hint}>
      {(p) => <input {...p} inputMode="numeric" defaultValue={value ?? ''} />}
    </Field>
  );
  return (
    <>
      <p>
        <Link to={`/admin/medel/${year.id}`}>
          {year.program_name} {year.year}
        </Link>
      </p>
      <h1>
        {line.name} ({line.code})
      </h1>
      <p>
        Status: <span className={`badge grant-${line.status}`}>{line.statusLabel}</span>
        {line.requested_at ? ` · rekvirerat ${dateOnly(line.requested_at)} av ${line.requested_by_name}, ${line.requested_by_role}` : ''}
        {line.reported_at ? ` · återrapporterat ${dateOnly(line.reported_at)}` : ''}
        {line.expectedRepayment != null ? ` · väntad återbetalning ${kronor(line.expectedRepayment)}` : ''}
      </p>
      {line.disagreements.length ? (
        <ul className="notice">
          {line.disagreements.map((d) => (
            <li key={d.rule}>{d.sv}</li>
          ))}
        </ul>
      ) : null}
      {result?.ok ? (
        <p className="flash" role="status">
          {result.message}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">Belopp och datum</h2>
        <Form method="post" className="stack">
          <CsrfInput token={csrf} />
          <input type="hidden" name="intent" value="edit" />
          {money('allocated_sek', 'Fördelat (kr)', line.allocated_sek)}
          {money('requested_sek', 'Rekvirerat (kr)', line.requested_sek, 'Tomt = inte rekvirerat.')}
          {money('paid_sek', 'Utbetalt (kr)', line.paid_sek)}
          <Field name="paid_at" label="Utbetalningsdag" error={errors.paid_at}>
            {(p) => <input {...p} type="date" defaultValue={dateValue(line.paid_at)} />}
          </Field>
          {money('used_sek', 'Förbrukat (kr)', line.used_sek, 'Hämtas från återrapporteringen; ändra bara vid rättelse.')}
          {money('repaid_sek', 'Återbetalt (kr)', line.repaid_sek)}
          <Field name="repaid_at" label="Återbetalningsdag" error={errors.repaid_at}>
            {(p) => <input {...p} type="date" defaultValue={dateValue(line.repaid_at)} />}
          </Field>
          <Field name="request_extended_until" label="Förlängd rekvisition till" error={errors.request_extended_until} hint="Tillåter rekvisition efter sista dag för den här mottagaren.">
            {(p) => <input {...p} type="date" defaultValue={dateValue(line.request_extended_until)} />}
          </Field>
          <Field name="reason" label="Skäl till ändringen" error={errors.reason}>
            {(p) => <input {...p} required />}
          </Field>
          <button type="submit">Spara</button>
        </Form>
      </section>
      <section aria-labelledby="review-heading">
        <h2 id="review-heading">Granskning</h2>
        <p>{line.reviewed_at ? `Granskad ${dateOnly(line.reviewed_at)}.` : 'Inte granskad ännu.'}</p>
        <Form method="post" className="stack">
          <CsrfInput token={csrf} />
          <input type="hidden" name="intent" value="review" />
          <Field name="note" label="Anteckning (valfri)">
            {(p) => <input {...p} />}
          </Field>
          <button type="submit">Markera som granskad</button>
        </Form>
        <h3>Återkrav</h3>
        {line.reclaimed_sek ? <p>Återkrävt {kronor(line.reclaimed_sek)}: {line.reclaim_reason}</p> : null}
        <Form method="post" className="stack">
          <CsrfInput token={csrf} />
          <input type="hidden" name="intent" value="reclaim" />
          <Field name="amount" label="Belopp att återkräva (kr)" error={errors.amount}>
            {(p) => <input {...p} inputMode="numeric" required />}
          </Field>
          <Field name="reclaimReason" label="Skäl till återkravet" error={errors.reclaimReason}>
            {(p) => <input {...p} required />}
          </Field>
          <button type="submit">Registrera återkrav</button>
        </Form>
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Historik</h2>
        <table className="data-table">
          <caption className="visually-hidden">Ändringar av raden, senaste först</caption>
          <thead>
            <tr>
              <th scope="col">När</th>
              <th scope="col">Vad</th>
              <th scope="col">Vem</th>
              <th scope="col">Skäl</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{dateTime(h.at)}</td>
                <td>
                  {h.action}
                  <span className="hint">{h.after}</span>
                </td>
                <td>{h.who ?? 'Systemet'}</td>
                <td>{h.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
