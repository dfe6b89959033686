import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../db/schema';
import { ErrorSummary, Field } from '~/components/admin-field';
import { CsrfInput } from '~/components/csrf-input';
import { listKommungrupper, listLan } from '~/models/organisations/organisations.server';
import { createRoundAudited, DEFAULT_SCHEDULE, defaultDeadlineDate } from '~/models/rounds/admin.server';
import { checkNewRound, type NewRoundForm } from '~/models/rounds/new-round.server';
import { getSurvey, getSurveys } from '~/models/surveys/surveys.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { KIND_LABELS } from '~/utils/organisation-kinds';

export const meta: MetaFunction = () => [{ title: 'Ny omgång – Administrera – Enkätnav' }];

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const db = getDb();
  const surveyId = new URL(request.url).searchParams.get('survey') ?? '';
  const survey = getSurvey(surveyId);
  const [lan, kommungrupper] = await Promise.all([listLan(db), listKommungrupper(db, 2017)]);
  const opens = today();
  return {
    csrf: csrfToken(request),
    surveys: getSurveys().map((s) => ({ id: s.meta.id, title: s.meta.title, year: s.meta.year })),
    survey: survey
      ? {
          id: survey.meta.id,
          title: survey.meta.title,
          audience: survey.meta.audience,
          defaults: { title: survey.meta.title, opens, closes: defaultDeadlineDate(survey.meta.defaultDeadline, opens) ?? '', reminders: DEFAULT_SCHEDULE.join(', ') },
        }
      : null,
    lan: lan.map((l) => ({ code: l.code, name: l.name })),
    kommungrupper,
  };
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

async function file(form: FormData, name: string) {
  const v = form.get(name);
  if (!v || typeof v === 'string' || v.size === 0) return undefined;
  return { bytes: Buffer.from(await v.arrayBuffer()), name: v.name || 'fil.csv' };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const kind = text(form, 'kind');
  const raw: NewRoundForm = {
    survey: text(form, 'survey'),
    title: text(form, 'title'),
    opens: text(form, 'opens'),
    closes: text(form, 'closes'),
    reminders: text(form, 'reminders'),
    contactText: text(form, 'contactText').slice(0, 2000),
    targetMode: text(form, 'targetMode') === 'codes' ? 'codes' : 'filter',
    kind: (ORGANISATION_KINDS as readonly string[]).includes(kind) ? (kind as OrganisationKind) : undefined,
    lan: form.getAll('lan').filter((v): v is string => typeof v === 'string' && /^\d{2}$/.test(v)),
    kg: form.getAll('kg').filter((v): v is string => typeof v === 'string' && /^[A-C]\d$/.test(v)),
    codes: text(form, 'codes'),
    codesFile: await file(form, 'codesFile'),
    persons: text(form, 'persons'),
    personsFile: await file(form, 'personsFile'),
  };
  const db = getDb();
  const check = await checkNewRound(db, raw, (id) => getSurvey(id)?.meta.audience);
  if (!check.input || text(form, 'intent') === 'preview') {
    return Response.json({ errors: check.errors, preview: check.preview ?? null, previewOnly: Boolean(check.input) }, { status: check.input ? 200 : 400 });
  }
  const { round } = await createRoundAudited(db, check.input, { id: user.id, label: user.email });
  return redirect(`/admin/omgangar/${round.id}?skapad=1`);
}

type ActionData = {
  errors: Record<string, string | undefined>;
  preview: { count: number; unknownCodes: string[]; badPersonLines: { line: number; text: string }[]; sample: string[] } | null;
  previewOnly: boolean;
};

export default function NewRound() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busy = navigation.state === 'submitting';
  const errors = result?.errors ?? {};
  const survey = data.survey;

  return (
    <>
      <h1>Ny omgång</h1>
      <Form method="get" className="filters survey-choice" aria-label="Välj enkät" onChange={(e) => submit(e.currentTarget)}>
        <div className="field">
          <label htmlFor="survey-choice">Enkät</label>
          <select id="survey-choice" name="survey" defaultValue={survey?.id ?? ''}>
            <option value="">Välj enkät…</option>
            {data.surveys.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title} ({s.id})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          Välj enkät
        </button>
      </Form>
      {!survey ? (
        <p className="notice">Välj först vilken enkät omgången gäller. Titel, datum och mottagare fylls sedan i med förslag.</p>
      ) : (
        <RoundForm key={survey.id} data={data} survey={survey} errors={errors} result={result} busy={busy} />
      )}
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function RoundForm({ data, survey, errors, result, busy }: {
  data: LoaderData;
  survey: NonNullable<LoaderData['survey']>;
  errors: Record<string, string | undefined>;
  result: ActionData | undefined;
  busy: boolean;
}) {
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result && Object.keys(result.errors).length) summaryRef.current?.querySelector<HTMLElement>('[role=alert]')?.focus();
  }, [result]);
  const persons = survey.audience === 'person';
  const kinds = persons ? [] : (survey.audience as OrganisationKind[]);
  const [mode, setMode] = useState<'filter' | 'codes'>('filter');
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const live = useFetcher<{ count: number; unknownCodes: string[]; sample: string[] }>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  // Live count of chosen organisations: a read-only GET whenever a target field changes.
  const refreshCount = () => {
    if (persons || !formRef.current) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const fd = new FormData(formRef.current!);
      const params = new URLSearchParams();
      for (const key of ['targetMode', 'kind', 'codes']) params.set(key, String(fd.get(key) ?? ''));
      for (const key of ['lan', 'kg']) for (const v of fd.getAll(key)) params.append(key, String(v));
      live.load(`/admin/omgangar/mottagare?${params}`);
    }, 250);
  };
  useEffect(() => {
    refreshCount();
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);

  const count = live.data ?? (result?.preview ? { count: result.preview.count, unknownCodes: result.preview.unknownCodes, sample: result.preview.sample } : undefined);
  const d = survey.defaults;
  return (
    <Form method="post" encType="multipart/form-data" ref={formRef} className="stack" onChange={refreshCount} noValidate>
      <div ref={summaryRef}>
        <ErrorSummary errors={errors} />
      </div>
      <CsrfInput token={data.csrf} />
      <input type="hidden" name="survey" value={survey.id} />
      <Field name="title" label="Omgångens titel" error={errors.title}>
        {(p) => <input {...p} type="text" defaultValue={d.title} required maxLength={200} />}
      </Field>
      <Field name="opens" label="Öppnar" hint="Från början av dagen, svensk tid." error={errors.opens}>
        {(p) => <input {...p} type="date" defaultValue={d.opens} required />}
      </Field>
      <Field name="closes" label="Sista svarsdag" hint="Till slutet av dagen. Förslaget kommer från enkätens vanliga svarsdag." error={errors.closes}>
        {(p) => <input {...p} type="date" defaultValue={d.closes} required />}
      </Field>
      <Field name="reminders" label="Påminnelser (dagar i förhållande till sista svarsdag)" hint="Negativa tal före, positiva efter. Standard: 14 och 3 dagar före, 2 dagar efter." error={errors.reminders}>
        {(p) => <input {...p} type="text" defaultValue={d.reminders} inputMode="text" />}
      </Field>
      <Field name="contactText" label="Kontakt för frågor (visas för de svarande)" hint="T.ex. namn, e-post och telefon till handläggaren.">
        {(p) => <textarea {...p} rows={2} />}
      </Field>

      <h2>Mottagare</h2>
      {persons ? (
        <>
          <Field name="persons" label="Personer: en per rad, namn och e-post" hint="T.ex. Anna Berg, anna.berg@lansstyrelsen.se" error={errors.persons}>
            {(p) => <textarea {...p} rows={6} />}
          </Field>
          <Field name="personsFile" label="…eller ladda upp en fil (CSV/XLSX med kolumnerna name och email)">
            {(p) => <input {...p} type="file" accept=".csv,.xlsx,.txt" />}
          </Field>
          {result?.preview?.badPersonLines.length ? (
            <ul className="flash error">
              {result.preview.badPersonLines.map((l) => (
                <li key={l.line}>
                  Rad {l.line}: {l.text}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <>
          <fieldset className="check-grid">
            <legend>Välj mottagare</legend>
            <label>
              <input type="radio" name="targetMode" value="filter" checked={mode === 'filter'} onChange={() => setMode('filter')} /> Efter typ, län och kommungrupp
            </label>
            <label>
              <input type="radio" name="targetMode" value="codes" checked={mode === 'codes'} onChange={() => setMode('codes')} /> Efter organisationskoder
            </label>
          </fieldset>
          {/* Without JavaScript both ways are shown and the radio decides; with it, only the chosen one. */}
          <div hidden={hydrated && mode !== 'filter'}>
            <Field name="kind" label="Typ av organisation" error={errors.kind}>
              {(p) => (
                <select {...p} defaultValue={kinds[0] ?? ''}>
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k].many}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <fieldset className="check-grid">
              <legend>Län (inga valda = alla län)</legend>
              {data.lan.map((l) => (
                <label key={l.code}>
                  <input type="checkbox" name="lan" value={l.code} /> {l.name}
                </label>
              ))}
            </fieldset>
            <fieldset className="check-grid">
              <legend>Kommungrupp, SKR 2017 (inga valda = alla)</legend>
              {data.kommungrupper.map((g) => (
                <label key={g.code}>
                  <input type="checkbox" name="kg" value={g.code} /> {g.code} {g.name}
                </label>
              ))}
            </fieldset>
          </div>
          <div hidden={hydrated && mode !== 'codes'}>
            <Field name="codes" label="Organisationskoder" hint="Klistra in koder, t.ex. kommunkoder 0114, 0180 – skilj med komma, mellanslag eller radbrytning." error={errors.codes}>
              {(p) => <textarea {...p} rows={5} />}
            </Field>
            <Field name="codesFile" label="…eller ladda upp en fil (CSV/XLSX med kolumnen org, eller en kod per rad)">
              {(p) => <input {...p} type="file" accept=".csv,.xlsx,.txt" />}
            </Field>
          </div>
          <div role="status" aria-live="polite" className="notice">
            {count ? (
              <>
                <strong>{count.count} organisationer valda.</strong>
                {count.sample.length ? ` Till exempel: ${count.sample.join(', ')}${count.count > count.sample.length ? ' …' : ''}` : null}
                {count.unknownCodes.length ? (
                  <p className="status-error">
                    <strong>Okända koder ({count.unknownCodes.length}):</strong> {count.unknownCodes.join(', ')}
                  </p>
                ) : null}
              </>
            ) : (
              'Antalet valda organisationer visas här.'
            )}
          </div>
        </>
      )}
      {result?.previewOnly ? <p className="flash">Allt ser bra ut: {result.preview?.count} mottagare. Skapa omgången när du är klar.</p> : null}
      <div className="admin-actions">
        <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
          Kontrollera mottagare
        </button>
        <button type="submit" name="intent" value="create" disabled={busy}>
          {busy ? 'Skapar…' : 'Skapa omgång'}
        </button>
      </div>
    </Form>
  );
}
