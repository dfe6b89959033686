import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { z } from 'zod';
import { SurveyDiffTable } from '~/components/survey-diff';
import { SurveyDraftMeta } from '~/components/survey-draft-meta';
import { SurveyDraftEdits } from '~/components/survey-draft-edits';
import { SurveyDraftPreview } from '~/components/survey-draft-preview';
import { SurveyJsonEditor } from '~/components/survey-json-editor';
import { surveyLinks } from '~/components/survey-links';
import { SurveyPublishForm } from '~/components/survey-publish-form';
import { deleteDraftAudited, editDraft, editDraftMeta, publishDraft, reviewSurvey, saveDraftJson, type Review } from '~/models/publishing/publishing.server';
import { changeId } from '~/models/surveys/diff.server';
import { editableQuestions, editSchema } from '~/models/surveys/edits.server';
import { getSurvey, validateAnswers } from '~/models/surveys/surveys.server';
import { parseSurveyText } from '~/models/surveys/upload.server';
import { getVersionRow, rowToSurvey, syncPublishedSurveys, usedByRounds, VersionError } from '~/models/surveys/versions.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';

export const links: LinksFunction = () => surveyLinks();

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.id ?? 'Enkät'} – Enkäter – Administrera – Enkätnav` }];

/** The version: a draft row, a published row, or a built-in file. */
async function findVersion(id: string) {
  const db = getDb();
  await syncPublishedSurveys(db);
  const row = await getVersionRow(db, id);
  const survey = row ? rowToSurvey(row) : getSurvey(id);
  if (!survey) throw new Response('Det finns ingen enkätversion med den adressen.', { status: 404 });
  const draft = row?.status === 'utkast' && !(await usedByRounds(db, id));
  return { row, survey, draft };
}

function reviewData(review: Review) {
  return {
    previousId: review.diff.previousId,
    changes: review.diff.changes.map((c) => ({ id: changeId(c), kind: c.kind, key: c.key, before: c.before, after: c.after, breaking: c.breaking, effect: c.effect })),
    errors: review.errors,
    warnings: review.warnings,
    blocked: review.blocked.map((c) => ({ id: changeId(c), effect: c.effect, key: c.key })),
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const { row, survey, draft } = await findVersion(params.id ?? '');
  const pages = (Array.isArray(survey.json.pages) ? survey.json.pages : []).map((p: any) => String(p?.name ?? '')).filter(Boolean);
  return {
    csrf: csrfToken(request),
    id: survey.meta.id,
    meta: survey.meta,
    json: survey.json,
    text: JSON.stringify(survey.json, null, 2),
    version: row?.updated_at ?? survey.meta.id,
    draft,
    source: row ? 'databas' : 'fil',
    questions: editableQuestions(survey.json),
    pages,
    review: reviewData(reviewSurvey(survey)),
  };
}

// Built in a function: a module-level schema would keep zod in the browser bundle (test/e2e/bundle.test.ts).
const publishSchema = () => z.object({ confirm: z.array(z.string()).default([]), reason: z.string().max(2000, 'Skälet får vara högst 2000 tecken.').default('') });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const db = getDb();
  const id = params.id ?? '';
  const intent = String(form.get('intent') ?? '');
  const { survey, draft } = await findVersion(id);
  if (intent === 'preview-submit') {
    let answers: unknown;
    try {
      answers = JSON.parse(String(form.get('answers') ?? '{}'));
    } catch {
      answers = null;
    }
    // The preview shows the editor's text as it is now, saved or not: validate that form.
    const text = form.get('json');
    let target = survey;
    if (typeof text === 'string' && text) {
      const parsed = parseSurveyText(text);
      if (!parsed.ok) return { preview: true, ok: false, errors: parsed.problems.map((p) => ({ question: p.question ?? null, message: p.message })) };
      target = { ...survey, json: parsed.survey };
    }
    try {
      const result = validateAnswers(target, answers, 'submit');
      return { preview: true, ok: result.ok, errors: result.ok ? [] : result.errors.map((e) => ({ question: e.question, message: e.message, title: e.title })) };
    } catch (e) {
      return { preview: true, ok: false, errors: [{ question: null, message: `Enkäten kan inte valideras ännu: ${(e as Error).message}` }] };
    }
  }
  if (!draft) return Response.json({ form: intent, fields: { form: 'Versionen är publicerad eller används i en omgång och kan inte ändras. Kopiera den till ett nytt utkast.' } }, { status: 409 });
  try {
    if (intent === 'save-json') {
      const result = await saveDraftJson(db, { id: user.id }, id, String(form.get('json') ?? ''));
      if (!result.ok) return Response.json({ form: 'json', fields: {}, problems: result.problems, text: String(form.get('json') ?? '') }, { status: 400 });
      return redirect(`/admin/enkater/${id}#json`);
    }
    if (intent === 'edit') {
      const op = String(form.get('op') ?? '');
      const parsed = editSchema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'csrf' && k !== 'intent')));
      if (!parsed.success) return Response.json({ form: op, fields: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'form'), i.message])) }, { status: 400 });
      const result = await editDraft(db, { id: user.id }, id, parsed.data);
      if (!result.ok) return Response.json({ form: op, fields: result.fields ?? {} }, { status: 400 });
      return redirect(`/admin/enkater/${id}`);
    }
    if (intent === 'meta') {
      const pick = (k: string) => (form.has(k) ? String(form.get(k)) : undefined);
      const kinds = form.getAll('audience').map(String);
      const input = { title: pick('title'), description: pick('description'), audience: kinds.includes('person') ? 'person' : kinds, defaultDeadline: pick('defaultDeadline'), source: pick('source') };
      const result = await editDraftMeta(db, { id: user.id }, id, input);
      if (!result.ok) return Response.json({ form: 'meta', fields: result.fields ?? {} }, { status: 400 });
      return redirect(`/admin/enkater/${id}`);
    }
    if (intent === 'delete') {
      if (form.get('confirm') !== 'ja') return Response.json({ form: 'delete', fields: { confirm: 'Kryssa i rutan för att bekräfta att utkastet ska tas bort.' } }, { status: 400 });
      await deleteDraftAudited(db, { id: user.id }, id);
      return redirect(`/admin/enkater?borttagen=${encodeURIComponent(id)}`);
    }
    if (intent === 'publish') {
      const parsed = publishSchema().safeParse({ confirm: form.getAll('confirm').map(String), reason: String(form.get('reason') ?? '') });
      if (!parsed.success) return Response.json({ form: 'publish', fields: { reason: parsed.error.issues[0].message } }, { status: 400 });
      const result = await publishDraft(db, { id: user.id }, id, parsed.data);
      if (result.ok) return redirect(`/admin/enkater/${id}?publicerad=1`);
      return Response.json({ form: 'publish', fields: result.reason ? { reason: result.reason } : {}, publishReview: reviewData(result.review), confirmed: parsed.data.confirm }, { status: 400 });
    }
  } catch (e) {
    if (e instanceof VersionError) return Response.json({ form: intent, fields: { form: 'Versionen har redan publicerats och kan inte ändras.' } }, { status: 409 });
    throw e;
  }
  return Response.json({ form: intent, fields: { form: 'Okänd åtgärd.' } }, { status: 400 });
}

type ActionData = {
  form?: string;
  fields?: Record<string, string>;
  problems?: { message: string; line?: number; column?: number; question?: string }[];
  text?: string;
  publishReview?: ReturnType<typeof reviewData>;
  confirmed?: string[];
};

export default function AdminSurveyVersion() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const review = result?.publishReview ?? data.review;
  // The preview follows the editor: every edit that parses as JSON is shown at once.
  const [live, setLive] = useState<{ json: Record<string, unknown>; n: number }>({ json: data.json, n: 0 });
  const published = typeof window === 'undefined' ? false : new URLSearchParams(window.location.search).has('publicerad');
  return (
    <>
      <nav aria-label="Brödsmulor" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/admin/enkater">Enkäter</Link>
          </li>
          <li aria-current="page">{data.id}</li>
        </ol>
      </nav>
      <h1>
        {data.meta.title} <span className="status-tag">{data.draft ? 'Utkast' : 'Publicerad'}</span>
      </h1>
      {published && !data.draft ? (
        <p className="flash" role="status">
          Versionen är publicerad. <Link to={`/admin/omgangar/ny?survey=${data.id}`}>Starta en omgång med {data.id}</Link>.
        </p>
      ) : null}
      {!data.draft ? (
        <p>
          Den här versionen {data.source === 'fil' ? 'är inbyggd (en fil i surveys/)' : 'är publicerad'} och kan inte ändras.{' '}
          <Link to={`/admin/omgangar/ny?survey=${data.id}`}>Starta en omgång</Link> eller kopiera den till ett nytt år på <Link to="/admin/enkater">Enkäter</Link>.
        </p>
      ) : null}
      {result?.fields?.form ? (
        <p className="error" role="alert">
          {result.fields.form}
        </p>
      ) : null}

      <h2 id="diff-h">Ändringar och jämförbarhet</h2>
      <SurveyDiffTable previousId={review.previousId} changes={review.changes} />

      {data.draft ? (
        <>
          <h2 id="publish-h">Kontroll och publicering</h2>
          <SurveyPublishForm csrf={data.csrf} review={review} errors={result?.form === 'publish' ? (result.fields ?? {}) : {}} confirmed={result?.confirmed ?? []} />
          <h2>Enkla ändringar</h2>
          <SurveyDraftEdits csrf={data.csrf} questions={data.questions} pages={data.pages} form={result?.form} errors={result?.fields ?? {}} />
          <SurveyDraftMeta csrf={data.csrf} values={data.meta} form={result?.form} errors={result?.fields ?? {}} />
        </>
      ) : null}

      <div className="draft-workspace">
        <SurveyJsonEditor
          csrf={data.csrf}
          text={result?.form === 'json' && result.text !== undefined ? result.text : data.text}
          readOnly={!data.draft}
          problems={result?.form === 'json' ? (result.problems ?? []) : []}
          checkErrors={review.errors}
          key={data.version}
          onJson={(json) => setLive((l) => ({ json, n: l.n + 1 }))}
        />
        <SurveyDraftPreview json={live.n ? live.json : data.json} version={`${data.version}-${live.n}`} csrf={data.csrf} live={live.n > 0} />
      </div>
    </>
  );
}
