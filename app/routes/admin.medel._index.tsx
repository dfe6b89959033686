import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ALLOCATION_RULES, RECIPIENT_KINDS } from '../../db/schema';
import { ErrorSummary, Field } from '~/components/admin-field';
import { CsrfInput } from '~/components/csrf-input';
import { RECIPIENT_LABELS, RULE_LABELS } from '~/models/grants/labels';
import { createProgram, createYear, GrantInputError, listPrograms, listYears } from '~/models/grants/programs.server';
import { parseAdminDate } from '~/models/rounds/admin.server';
import { getSurveys } from '~/models/surveys/surveys.server';
import { dateOnly, kronor } from '~/utils/admin-labels';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Medel – Administrera – Enkätnav' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const db = getDb();
  const [programs, years] = await Promise.all([listPrograms(db), listYears(db)]);
  const surveys = getSurveys()
    .filter((s) => s.meta.family.startsWith('aterrapportering'))
    .map((s) => ({ id: s.meta.id, title: s.meta.title }));
  return { csrf: csrfToken(request), programs, years, surveys };
}

const amount = (label: string) =>
  z
    .string()
    .transform((s) => s.replace(/[\s\u00a0]/g, ''))
    .pipe(z.string().regex(/^\d{1,13}$/, `${label} ska vara ett helt antal kronor, 0 eller mer.`))
    .transform(Number);

/** Days before the rekvisition deadline for the automatic reminder: 1–90, or empty for none. */
const reminderDays = () =>
  z
    .string()
    .trim()
    .regex(/^(\d{1,2})?$/, 'Ange antal dagar (1–90), eller lämna tomt.')
    .transform((s) => (s === '' ? null : Number(s)));

const actionSchema = () =>
  z.discriminatedUnion('intent', [
    z.object({
      intent: z.literal('program'),
      code: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'Koden ska bestå av små bokstäver a–z, siffror och bindestreck, t.ex. vinr-utvecklingsmedel.'),
      name: z.string().trim().min(1, 'Ange programmets namn.').max(200),
    }),
    z.object({
      intent: z.literal('year'),
      programId: z.coerce.number({ error: 'Välj program.' }).int().positive('Välj program.'),
      year: z.coerce.number({ error: 'Ange år som fyra siffror.' }).int().min(2000, 'Ange år som fyra siffror.').max(2100, 'Ange år som fyra siffror.'),
      recipientKind: z.enum(RECIPIENT_KINDS, { error: 'Välj mottagare.' }),
      rule: z.enum(ALLOCATION_RULES, { error: 'Välj fördelningsregel.' }),
      totalSek: amount('Totalbeloppet'),
      floorSek: amount('Lägsta beloppet').optional().default(0),
      requestDeadline: z.string().transform((v, ctx) => parseAdminDate(v, 'end') ?? (ctx.addIssue({ code: 'custom', message: 'Ange sista dag för rekvisition som ÅÅÅÅ-MM-DD.' }), z.NEVER)),
      reportDeadline: z.string().transform((v, ctx) => parseAdminDate(v, 'end') ?? (ctx.addIssue({ code: 'custom', message: 'Ange sista dag för återrapportering som ÅÅÅÅ-MM-DD.' }), z.NEVER)),
      reportSurveyId: z.string().max(100).transform((s) => s || null),
      requestReminderDays: reminderDays(),
    }),
  ]);

type ActionData = { ok: boolean; message?: string; errors?: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const parsed = actionSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'form'), i.message]));
    return Response.json({ ok: false, errors } satisfies ActionData, { status: 400 });
  }
  const db = getDb();
  try {
    if (parsed.data.intent === 'program') {
      const p = await createProgram(db, parsed.data, user.id);
      return { ok: true, message: `Programmet ${p.code} är skapat. Lägg nu till ett år.` } satisfies ActionData;
    }
    const y = await createYear(db, parsed.data, user.id);
    throw new Response(null, { status: 303, headers: { Location: `/admin/medel/${y.id}` } });
  } catch (e) {
    if (e instanceof GrantInputError) return Response.json({ ok: false, errors: { [e.field ?? 'form']: e.sv } } satisfies ActionData, { status: 400 });
    throw e;
  }
}

export default function GrantPrograms() {
  const { csrf, programs, years, surveys } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const errors = result?.errors ?? {};
  return (
    <>
      <h1>Medel</h1>
      <p className="lead">Statsbidrag per program och år: fördelning, rekvisition, utbetalning, återrapportering, återbetalning och granskning.</p>
      {result?.ok ? (
        <p className="flash" role="status">
          {result.message}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <section aria-labelledby="years-heading">
        <h2 id="years-heading">Programår</h2>
        {years.length ? (
          <table className="data-table">
            <caption className="visually-hidden">Programår</caption>
            <thead>
              <tr>
                <th scope="col">Program och år</th>
                <th scope="col">Mottagare</th>
                <th scope="col">Totalt</th>
                <th scope="col">Regel</th>
                <th scope="col">Sista rekvisition</th>
                <th scope="col">Sista återrapportering</th>
                <th scope="col">Rekvirerat</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.id}>
                  <th scope="row">
                    <Link to={`/admin/medel/${y.id}`}>
                      {y.program_name} {y.year}
                    </Link>
                    <span className="hint">{y.program_code}</span>
                  </th>
                  <td>{RECIPIENT_LABELS[y.recipient_kind]}</td>
                  <td>{kronor(y.total_sek)}</td>
                  <td>{RULE_LABELS[y.rule]}</td>
                  <td>{dateOnly(y.request_deadline)}</td>
                  <td>{dateOnly(y.report_deadline)}</td>
                  <td>{y.allocated_at ? `${y.requested} av ${y.recipients}` : 'Inte fördelat'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>Inga år ännu. Skapa ett program och lägg till ett år nedan.</p>
        )}
      </section>
      {programs.length ? (
        <section aria-labelledby="new-year-heading">
          <h2 id="new-year-heading">Nytt år</h2>
          <Form method="post" className="stack">
            <CsrfInput token={csrf} />
            <input type="hidden" name="intent" value="year" />
            <Field name="programId" label="Program" error={errors.programId}>
              {(p) => (
                <select {...p}>
                  {programs.map((pr) => (
                    <option key={pr.id} value={pr.id}>
                      {pr.name} ({pr.code})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="year" label="År" error={errors.year}>
              {(p) => <input {...p} inputMode="numeric" defaultValue={new Date().getFullYear()} />}
            </Field>
            <Field name="recipientKind" label="Mottagare" error={errors.recipientKind}>
              {(p) => (
                <select {...p}>
                  {Object.entries(RECIPIENT_LABELS).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="rule" label="Fördelningsregel" error={errors.rule} hint="Kommuner: efter folkmängd med lägsta belopp. Regioner: lika stora andelar. Organisationer: belopp per beslut.">
              {(p) => (
                <select {...p}>
                  {Object.entries(RULE_LABELS).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="totalSek" label="Totalbelopp (kr)" error={errors.totalSek}>
              {(p) => <input {...p} inputMode="numeric" placeholder="50000000" />}
            </Field>
            <Field name="floorSek" label="Lägsta belopp per mottagare (kr)" error={errors.floorSek} hint="Bara för fördelning efter folkmängd, t.ex. 80000.">
              {(p) => <input {...p} inputMode="numeric" defaultValue="0" />}
            </Field>
            <Field name="requestDeadline" label="Sista dag för rekvisition" error={errors.requestDeadline} hint="ÅÅÅÅ-MM-DD">
              {(p) => <input {...p} type="date" />}
            </Field>
            <Field name="requestReminderDays" label="Automatisk påminnelse om rekvisition (dagar före sista dag)" error={errors.requestReminderDays} hint="1–90 dagar. Lämna tomt för ingen automatisk påminnelse.">
              {(p) => <input {...p} inputMode="numeric" defaultValue="7" />}
            </Field>
            <Field name="reportDeadline" label="Sista dag för återrapportering" error={errors.reportDeadline} hint="ÅÅÅÅ-MM-DD, t.ex. 31 maj året efter.">
              {(p) => <input {...p} type="date" />}
            </Field>
            <Field name="reportSurveyId" label="Återrapporteringsenkät" error={errors.reportSurveyId}>
              {(p) => (
                <select {...p}>
                  <option value="">Ingen</option>
                  {surveys.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit">Skapa år</button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="new-program-heading">
        <h2 id="new-program-heading">Nytt program</h2>
        <Form method="post" className="stack">
          <CsrfInput token={csrf} />
          <input type="hidden" name="intent" value="program" />
          <Field name="code" label="Kod" error={errors.code} hint="Används i jämförelser, t.ex. vinr-utvecklingsmedel.">
            {(p) => <input {...p} />}
          </Field>
          <Field name="name" label="Namn" error={errors.name}>
            {(p) => <input {...p} />}
          </Field>
          <button type="submit">Skapa program</button>
        </Form>
      </section>
    </>
  );
}
