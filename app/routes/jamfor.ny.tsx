import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { ChartFigure } from '~/components/chart-figure';
import { CsrfInput } from '~/components/csrf-input';
import { FigurePolicy, MoneyTable } from '~/components/figure-policy';
import { BUILDER_POPULATIONS, GRANT_MEASURE, MONEY_MEASURE, POPULATION_LABELS } from '~/models/comparisons/builder-options';
import { builderChoices, builderDefinition, readBuilder } from '~/models/comparisons/builder.server';
import { tryFigure } from '~/models/comparisons/figure.server';
import { saveComparison } from '~/models/comparisons/saved.server';
import styles from '~/styles/jamfor.css';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Ny jämförelse – Enkätnav' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

async function evaluate(params: URLSearchParams) {
  const { input, errors } = readBuilder(params);
  if (!input) return { errors, preview: null, previewError: null, def: null };
  const built = builderDefinition(input);
  if (!built.def) return { errors: built.errors, preview: null, previewError: null, def: null };
  const figure = await tryFigure(getDb(), built.def);
  return { errors: {}, preview: figure.chart ?? null, previewError: figure.error ?? null, def: figure.def ?? null };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['evaluator', 'admin']);
  const params = new URL(request.url).searchParams;
  const touched = [...params.keys()].length > 0;
  const evaluated = await evaluate(params);
  return {
    choices: await builderChoices(getDb()),
    values: Object.fromEntries([...new Set(params.keys())].map((k) => [k, k === 'ar' ? params.getAll(k) : params.get(k) ?? ''])) as Record<string, string | string[]>,
    ...evaluated,
    // Missing choices are not errors until the evaluator has started filling in the form.
    errors: touched ? evaluated.errors : {},
    csrf: csrfToken(request),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['evaluator', 'admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const params = new URLSearchParams();
  for (const [k, v] of form) if (typeof v === 'string' && k !== 'csrf') params.append(k, v);
  const { def, errors, previewError } = await evaluate(params);
  if (!def) return { errors, saveError: previewError ?? 'Jämförelsen kan inte sparas förrän alla val är gjorda.' };
  const id = await saveComparison(getDb(), def, user.id);
  return redirect(`/jamfor/db-${id}`);
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <span className="error" id={`${id}-error`}>
      {error}
    </span>
  ) : null;
}

export default function NyJamforelse() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fetcher = useFetcher<typeof loader>();
  const data = fetcher.data ?? loaderData;
  const { choices, values } = data;
  const errors: Record<string, string> = { ...data.errors, ...(actionData?.errors ?? {}) };
  const formRef = useRef<HTMLFormElement>(null);
  const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  const years = Array.isArray(values.ar) ? values.ar : [];
  const vilka = v('vilka') || 'kommun';
  const surveys = choices.surveys.filter((s) => (vilka === 'respondents' ? s.audience === 'respondents' : s.audience.split(',').includes(vilka)));
  const survey = choices.surveys.find((s) => s.id === v('enkat'));
  const ledger = v('enkat') === GRANT_MEASURE || v('enkat') === MONEY_MEASURE;
  const program = choices.programs.find((p) => p.program === v('program'));
  const gprogram = choices.programs.find((p) => p.program === v('gprogram'));
  const busy = fetcher.state !== 'idle';
  const refresh = () => formRef.current && fetcher.submit(formRef.current, { method: 'get' });
  // A choice made before hydration fired no onChange: show its preview once the page is live.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const now = new URLSearchParams([...new FormData(form)].filter(([k, x]) => k !== 'csrf' && typeof x === 'string') as [string, string][]);
    const at = new URLSearchParams(window.location.search);
    if (['vilka', 'enkat', 'fraga', 'grupp', 'program', 'gprogram', 'gar'].some((k) => (now.get(k) ?? '') !== (at.get(k) ?? '') && !(k === 'vilka' && !at.has(k)))) fetcher.submit(form, { method: 'get' });
    // Only on mount: later changes go through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const invalid = (k: string) => (errors[k] ? { 'aria-invalid': true, 'aria-describedby': `${k}-error` } : {});

  return (
    <>
      <h1>Ny jämförelse</h1>
      <div className="cmp-builder">
        <Form method="post" ref={formRef} onChange={refresh} aria-label="Bygg jämförelse">
          <CsrfInput token={loaderData.csrf} />
          <div className="field">
            <label htmlFor="vilka">Vilka räknas?</label>
            <select id="vilka" name="vilka" defaultValue={vilka} {...invalid('vilka')}>
              {BUILDER_POPULATIONS.map((p) => (
                <option key={p} value={p}>
                  {POPULATION_LABELS[p]}
                </option>
              ))}
            </select>
            <FieldError id="vilka" error={errors.vilka} />
          </div>
          <div className="field">
            <label htmlFor="enkat">Vad ska jämföras?</label>
            <select key={vilka} id="enkat" name="enkat" defaultValue={v('enkat')} {...invalid('enkat')}>
              <option value="">Välj enkät eller medel</option>
              {vilka !== 'respondents' && <option value={GRANT_MEASURE}>Medel: status per organisation</option>}
              {vilka !== 'respondents' && <option value={MONEY_MEASURE}>Medel: fördelat, förbrukat och återbetalt (kronor)</option>}
              {surveys.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
            <FieldError id="enkat" error={errors.enkat} />
          </div>
          {survey && (
            <div className="field">
              <label htmlFor="fraga">Fråga</label>
              <select key={survey.id} id="fraga" name="fraga" defaultValue={v('fraga')} {...invalid('fraga')}>
                <option value="">Välj fråga</option>
                {survey.questions.map((q) => (
                  <option key={q.key} value={q.key}>
                    {q.key}: {q.text.length > 70 ? `${q.text.slice(0, 70)}…` : q.text}
                  </option>
                ))}
              </select>
              <FieldError id="fraga" error={errors.fraga} />
              <label htmlFor="sammanfor">Slå ihop svarsalternativ (valfritt)</label>
              <input id="sammanfor" name="sammanfor" type="text" maxLength={1000} defaultValue={v('sammanfor')} aria-describedby={errors.sammanfor ? 'sammanfor-error sammanfor-hint' : 'sammanfor-hint'} {...(errors.sammanfor ? { 'aria-invalid': true } : {})} />
              <span className="hint" id="sammanfor-hint">
                T.ex. "stammer_helt, stammer_delvis = Positiva omdömen". Flera sammanslagningar skiljs med semikolon.
              </span>
              <FieldError id="sammanfor" error={errors.sammanfor} />
              <label className="cmp-check">
                <input type="checkbox" name="trend" value="1" defaultChecked={v('trend') === '1'} /> Visa trend över enkätens år
              </label>
            </div>
          )}
          {ledger && (
            <>
              <div className="field">
                <label htmlFor="program">Program</label>
                <select id="program" name="program" defaultValue={v('program')} {...invalid('program')}>
                  <option value="">Välj program</option>
                  {choices.programs.map((p) => (
                    <option key={p.program}>{p.program}</option>
                  ))}
                </select>
                <FieldError id="program" error={errors.program} />
              </div>
              {program && (
                <fieldset {...invalid('ar')}>
                  <legend>{v('enkat') === MONEY_MEASURE ? 'År' : 'År (flera ger en trend)'}</legend>
                  {program.years.map((y) => (
                    <label key={y}>
                      <input type="checkbox" name="ar" value={y} defaultChecked={years.includes(String(y))} /> {y}
                    </label>
                  ))}
                  <FieldError id="ar" error={errors.ar} />
                </fieldset>
              )}
            </>
          )}
          <div className="field">
            <label htmlFor="grupp">Dela upp efter</label>
            <select id="grupp" name="grupp" defaultValue={v('grupp')} {...invalid('grupp')}>
              <option value="">Ingen uppdelning (riket)</option>
              <option value="grant">Användning av medel</option>
              <option value="kommungrupp2017">Kommungrupp (SKR 2017)</option>
              <option value="kommungrupp2023">Kommungrupp (SKR 2023)</option>
              <option value="lan">Län</option>
              <option value="sizeClass">Kommunstorlek</option>
            </select>
            <FieldError id="grupp" error={errors.grupp} />
          </div>
          {v('grupp') === 'grant' && (
            <>
              <div className="field">
                <label htmlFor="gprogram">Medel: program</label>
                <select id="gprogram" name="gprogram" defaultValue={v('gprogram')} {...invalid('gprogram')}>
                  <option value="">Välj program</option>
                  {choices.programs.map((p) => (
                    <option key={p.program}>{p.program}</option>
                  ))}
                </select>
                <FieldError id="gprogram" error={errors.gprogram} />
              </div>
              <div className="field">
                <label htmlFor="gar">Medel: år</label>
                <select key={v('gprogram')} id="gar" name="gar" defaultValue={v('gar')} {...invalid('gar')}>
                  <option value="">Välj år</option>
                  {(gprogram?.years ?? []).map((y) => (
                    <option key={y}>{y}</option>
                  ))}
                </select>
                <FieldError id="gar" error={errors.gar} />
              </div>
              <label className="cmp-check">
                <input type="checkbox" name="slaihop" value="1" defaultChecked={v('slaihop') === '1' || !('gar' in values)} /> Slå ihop till använt / inte använt
              </label>
            </>
          )}
          <div className="field">
            <label htmlFor="undertryck">Visa inte antal under</label>
            <input id="undertryck" name="undertryck" type="number" min={0} max={100} defaultValue={v('undertryck')} aria-describedby={errors.undertryck ? 'undertryck-error undertryck-hint' : 'undertryck-hint'} {...(errors.undertryck ? { 'aria-invalid': true } : {})} />
            <span className="hint" id="undertryck-hint">
              Tomt: inga antal döljs för organisationer (offentliga organ), antal under 5 döljs för personer.
            </span>
            <FieldError id="undertryck" error={errors.undertryck} />
          </div>
          <div className="field">
            <label htmlFor="titel">Rubrik</label>
            <input id="titel" name="titel" type="text" maxLength={200} defaultValue={v('titel')} />
            <span className="hint">Tom rubrik ger en rubrik av valen.</span>
          </div>
          <div>
            <button type="submit" formMethod="get" className="secondary">
              Förhandsgranska
            </button>{' '}
            <button type="submit">Spara jämförelse</button>
          </div>
          {actionData?.saveError && (
            <p className="error" role="alert">
              {actionData.saveError}
            </p>
          )}
        </Form>
        <section className="cmp-preview" aria-labelledby="preview-heading" aria-busy={busy}>
          <h2 id="preview-heading">Förhandsgranskning</h2>
          <p role="status" className="hint">
            {busy ? 'Uppdaterar…' : ''}
          </p>
          {data.previewError && (
            <p className="error" role="alert">
              {data.previewError}
            </p>
          )}
          {data.preview?.result.measure.kind === 'money' && <MoneyTable result={data.preview.result} />}
          {data.preview ? <ChartFigure chart={data.preview} /> : !data.previewError && <p>Välj vad som ska jämföras för att se en figur.</p>}
          {data.preview && <FigurePolicy result={data.preview.result} />}
        </section>
      </div>
    </>
  );
}
