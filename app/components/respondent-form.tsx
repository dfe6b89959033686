import { useEffect, useRef, useState } from 'react';
import type { Model, Question } from 'survey-core';
import type { Answers, MergeResult } from '~/utils/merge';
import { useHydrated } from './client-only';
import { describeAnswer, prefillMarker, statusText } from './respondent-form-helpers';
import { RespondentConflicts } from './respondent-conflicts.client';
import { IdentityForm } from './respondent-identity.client';
import { DraftSync, readIdentity, writeIdentity, type Identity, type SaveStatus } from './respondent-sync.client';
import { SurveyForm } from './survey-form';

interface ServerError {
  question: string | null;
  message: string;
  title?: string;
}

type FormProps = { token: string; surveyJson: Record<string, unknown>; version: number; data: Answers; prefilled: Answers; lastSavedAt: string | null };

/**
 * The respondent's form, rendered on the server and hydrated in the browser: asks once who is
 * answering, renders the survey, autosaves, merges with colleagues' saves and submits. Server
 * errors are placed on the questions they concern.
 *
 * The server (and the browser's first render) cannot know who is answering, nor attach the
 * autosave: the form is readable at once but `inert`, with a visible "Formuläret laddas …",
 * until the page has hydrated and the respondent has said who they are. Nothing typed before
 * then can be lost, because nothing can be typed. Browser-only parts (`*.client`: localStorage,
 * autosave, the conflict and name forms) are touched only in effects and after hydration.
 */
export function RespondentForm(props: FormProps) {
  const hydrated = useHydrated();
  // undefined: not read yet (the server and the first browser render); null: nobody yet.
  const [identity, setIdentity] = useState<Identity | null | undefined>(undefined);
  const [editingIdentity, setEditingIdentity] = useState(false);
  const identityRef = useRef<Identity | null>(null);
  identityRef.current = identity ?? null;
  useEffect(() => setIdentity(readIdentity()), []);

  const saveIdentity = (id: Identity) => {
    writeIdentity(id);
    setIdentity(id);
    setEditingIdentity(false);
  };

  const ready = hydrated && Boolean(identity);
  return (
    <>
      {identity === undefined || !hydrated ? (
        <div className="respondent-identity respondent-loading-note" role="status">
          <p>Formuläret laddas …</p>
          <noscript>
            <p>Formuläret går att läsa, men för att fylla i det behöver webbläsaren JavaScript. Slå på JavaScript, eller använd en annan webbläsare.</p>
          </noscript>
        </div>
      ) : identity === null || editingIdentity ? (
        <IdentityForm initial={identity} onSave={saveIdentity} onCancel={identity ? () => setEditingIdentity(false) : undefined} />
      ) : (
        <div className="respondent-identity">
          <p>
            Du fyller i som <strong>{identity.name}</strong>
            {identity.email ? ` (${identity.email})` : ''}.
          </p>
          <button type="button" className="secondary" onClick={() => setEditingIdentity(true)}>
            Ändra namn eller e-post
          </button>
        </div>
      )}
      {/* React 18 does not know `inert`: an empty string renders the bare attribute. */}
      <div className="respondent-survey" data-ready={ready} aria-busy={!ready} {...(ready ? {} : { inert: '' })}>
        {hydrated && identity === null ? <p className="respondent-survey-note">Skriv ditt namn ovan för att börja fylla i formuläret.</p> : null}
        <SurveyArea {...props} identityRef={identityRef} />
      </div>
    </>
  );
}

function SurveyArea({
  token,
  surveyJson,
  version,
  data,
  prefilled,
  lastSavedAt,
  identityRef,
}: Parameters<typeof RespondentForm>[0] & { identityRef: { current: Identity | null } }) {
  const [status, setStatus] = useState<SaveStatus>(lastSavedAt ? { kind: 'saved', at: lastSavedAt } : { kind: 'idle' });
  const [conflict, setConflict] = useState<MergeResult | null>(null);
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [submitMessage, setSubmitMessage] = useState<string | null>(null);
  const modelRef = useRef<Model | null>(null);
  const syncRef = useRef<DraftSync | null>(null);
  const summaryRef = useRef<HTMLHeadingElement>(null);

  // Runs while the model is built, on the server and in the browser alike: only what shapes
  // the markup, the same on both sides.
  const markerRef = useRef<ReturnType<typeof prefillMarker> | null>(null);
  const onModel = (model: Model) => {
    modelRef.current = model;
    // Colleagues fill different pages: moving between pages must never be blocked by
    // unanswered questions. The server checks everything on submit.
    model.checkErrorsMode = 'onComplete';
    // Save while typing, not only when a text field loses focus.
    model.textUpdateMode = 'onTyping';
    markerRef.current = prefillMarker(model, prefilled);
    markerRef.current.markAll();
  };

  // In the browser, once: autosave, page changes, and a copy of unsaved answers.
  useEffect(() => {
    const model = modelRef.current;
    const marker = markerRef.current;
    if (!model || !marker) return;
    let applying = false;
    const sync = new DraftSync({
      token,
      version,
      data,
      getData: () => JSON.parse(JSON.stringify(model.data ?? {})) as Answers,
      setData: (next) => {
        applying = true;
        model.data = next;
        applying = false;
        marker.markAll();
      },
      savedBy: () => identityRef.current?.name ?? null,
      onStatus: setStatus,
      onConflict: setConflict,
      isComputed: (key) => model.getQuestionByName(key)?.getType() === 'expression',
    });
    syncRef.current = sync;
    const onValueChanged = (_: Model, options: { name: string; question?: Question }) => {
      if (options.question) marker.mark(options.question);
      if (!applying) sync.changed();
      // An answered question leaves the error summary; its own error text clears with it.
      setErrors((list) => (list.some((e) => e.question === options.name) ? list.filter((e) => e.question !== options.name) : list));
    };
    const onPageChanged = () => {
      void sync.flush();
      // Keyboard and screen-reader users continue on the new page, not at the Next button.
      setTimeout(() => model.focusFirstQuestion(), 0);
    };
    model.onValueChanged.add(onValueChanged);
    model.onCurrentPageChanged.add(onPageChanged);
    sync.restoreBackup();

    const flush = () => void sync.flush({ keepalive: true });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    const onOnline = () => void sync.flush();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flush);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('online', onOnline);
      model.onValueChanged.remove(onValueChanged);
      model.onCurrentPageChanged.remove(onPageChanged);
      sync.stop();
    };
    // The model is built once per mount: so is its autosave.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const questionFor = (key: string | null): Question | null => {
    const model = modelRef.current;
    if (!model || !key) return null;
    return model.getQuestionByName(key) ?? model.getQuestionByName(key.replace(/-Comment$/, '')) ?? null;
  };

  const goTo = (key: string | null) => {
    const model = modelRef.current;
    const q = questionFor(key);
    if (!model || !q) return;
    if (q.page) model.currentPage = q.page;
    setTimeout(() => q.focus(), 50);
  };

  const describe = (key: string, value: unknown) => describeAnswer(questionFor(key), key, value);

  const submit = async () => {
    const model = modelRef.current;
    const sync = syncRef.current;
    const who = identityRef.current;
    if (!model || !sync || !who) return;
    setSubmitting(true);
    setSubmitMessage(null);
    let submitted = false;
    try {
      // Save what is pending, then no autosave while the submit is under way: a save that
      // reached the server after the submit would only get a 409 (the response is locked).
      await sync.flush();
      await sync.settle();
      sync.stop();
      const answers = JSON.parse(JSON.stringify(model.data ?? {})) as Answers;
      let res: Response;
      try {
        res = await fetch(`/svar/${token}/skicka`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ baseVersion: sync.version, data: answers, submittedBy: who.name, email: who.email || null }),
        });
      } catch {
        setSubmitMessage('Svaret kunde inte skickas – kontrollera internetanslutningen och försök igen. Dina svar finns kvar.');
        return;
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, any>;
      if (res.ok) {
        submitted = true;
        sync.clearBackup();
        window.location.assign(`/svar/${token}/kvittens`);
        return;
      }
      if (res.status === 400 && Array.isArray(body.errors)) {
        if (body.saved) sync.acknowledge(body.version, answers);
        const list = body.errors as ServerError[];
        for (const e of list) questionFor(e.question)?.addError(e.message);
        setErrors(list);
        // Focus the summary once it is rendered, so screen readers announce what to fix.
        setTimeout(() => summaryRef.current?.focus(), 0);
        return;
      }
      if (res.status === 409 && body.reason === 'conflict') {
        sync.handleConflict(body as never);
        setSubmitMessage('En kollega har sparat ändringar under tiden. Gå igenom svaren och skicka in igen.');
        return;
      }
      setSubmitMessage(body.message ?? 'Svaret kunde inte skickas in. Försök igen om en stund.');
    } finally {
      if (!submitted) sync.resume();
      setSubmitting(false);
    }
  };

  return (
    <>
      <div className="respondent-toolbar">
        <p className="save-status" role="status" aria-live="polite" data-kind={status.kind}>
          {statusText(status)}
        </p>
      </div>
      {conflict ? (
        <RespondentConflicts
          merge={conflict}
          describe={describe}
          onResolve={(choices) => {
            setConflict(null);
            syncRef.current?.resolve(choices);
          }}
        />
      ) : null}
      <SurveyForm json={surveyJson} data={data} onModel={onModel} showCompleteButton={false} />
      <section className="respondent-submit" aria-labelledby="submit-heading">
        <h2 id="submit-heading">Skicka in</h2>
        {errors.length ? (
          <div className="error-summary" role="alert">
            <h3 ref={summaryRef} tabIndex={-1}>
              Svaret kunde inte skickas in – {errors.length === 1 ? 'ett fel' : `${errors.length} fel`} behöver rättas
            </h3>
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  {questionFor(e.question) ? (
                    <button type="button" onClick={() => goTo(e.question)}>
                      {e.title ?? questionFor(e.question)?.title ?? e.question}: {e.message}
                    </button>
                  ) : (
                    e.message
                  )}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <p>När alla svar är klara skickar du in dem. Därefter låses formuläret och du får en kvittens.</p>
        {submitMessage ? (
          <p className="field error" role="alert">
            {submitMessage}
          </p>
        ) : null}
        <button type="button" onClick={() => void submit()} disabled={submitting || conflict !== null}>
          {submitting ? 'Skickar…' : 'Skicka in svaret'}
        </button>
      </section>
    </>
  );
}
