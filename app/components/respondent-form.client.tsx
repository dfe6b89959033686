import { useCallback, useEffect, useRef, useState } from 'react';
import type { Model, Question } from 'survey-core';
import { sameValue, type Answers, type MergeResult } from '~/utils/merge';
import { RespondentConflicts } from './respondent-conflicts.client';
import { IdentityForm } from './respondent-identity.client';
import { DraftSync, readIdentity, writeIdentity, type Identity, type SaveStatus } from './respondent-sync.client';
import { SurveyForm } from './survey-form.client';

interface ServerError {
  question: string | null;
  message: string;
  title?: string;
}

const PREFILL_NOTE = 'Från förra året – kontrollera att svaret stämmer.';
const time = (iso: string) => new Date(iso).toLocaleTimeString('sv-SE', { hour: '2-digit', minute: '2-digit' });

/**
 * The interactive form: asks once who is answering, renders the survey, autosaves, merges
 * with colleagues' saves and submits. Server errors are placed on the questions they concern.
 */
export function RespondentForm(props: { token: string; surveyJson: Record<string, unknown>; version: number; data: Answers; prefilled: Answers; lastSavedAt: string | null }) {
  const [identity, setIdentity] = useState<Identity | null>(() => readIdentity());
  const [editingIdentity, setEditingIdentity] = useState(false);
  const identityRef = useRef(identity);
  identityRef.current = identity;

  const saveIdentity = (id: Identity) => {
    writeIdentity(id);
    setIdentity(id);
    setEditingIdentity(false);
  };

  if (!identity) return <IdentityForm initial={null} onSave={saveIdentity} />;
  return (
    <>
      {editingIdentity ? (
        <IdentityForm initial={identity} onSave={saveIdentity} onCancel={() => setEditingIdentity(false)} />
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
      <SurveyArea {...props} identityRef={identityRef} />
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

  const onModel = useCallback(
    (model: Model) => {
      if (modelRef.current === model) return;
      modelRef.current = model;
      // Colleagues fill different pages: moving between pages must never be blocked by
      // unanswered questions. The server checks everything on submit.
      model.checkErrorsMode = 'onComplete';
      // Save while typing, not only when a text field loses focus.
      model.textUpdateMode = 'onTyping';
      const descriptions = new Map<string, string>();
      const markPrefilled = (q: Question) => {
        if (!(q.name in prefilled)) return;
        if (!descriptions.has(q.name)) descriptions.set(q.name, q.description ?? '');
        const original = descriptions.get(q.name) ?? '';
        q.description = sameValue(q.value, prefilled[q.name]) ? [original, PREFILL_NOTE].filter(Boolean).join(' ') : original;
      };
      const markAll = () => Object.keys(prefilled).forEach((k) => (model.getQuestionByName(k) ? markPrefilled(model.getQuestionByName(k)) : undefined));
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
          markAll();
        },
        savedBy: () => identityRef.current?.name ?? null,
        onStatus: setStatus,
        onConflict: setConflict,
        isComputed: (key) => model.getQuestionByName(key)?.getType() === 'expression',
      });
      syncRef.current = sync;
      model.onValueChanged.add((_, options) => {
        if (options.question) markPrefilled(options.question);
        if (!applying) sync.changed();
        // An answered question leaves the error summary; its own error text clears with it.
        setErrors((list) => (list.some((e) => e.question === options.name) ? list.filter((e) => e.question !== options.name) : list));
      });
      model.onCurrentPageChanged.add(() => {
        void sync.flush();
        // Keyboard and screen-reader users continue on the new page, not at the Next button.
        setTimeout(() => model.focusFirstQuestion(), 0);
      });
      markAll();
      // onModel runs during SurveyForm's first render: state updates must wait for the next tick.
      setTimeout(() => sync.restoreBackup(), 0);
    },
    [token, version, data, prefilled, identityRef],
  );

  useEffect(() => {
    const flush = () => void syncRef.current?.flush({ keepalive: true });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    const onOnline = () => void syncRef.current?.flush();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flush);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('online', onOnline);
      syncRef.current?.stop();
    };
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

  const describe = (key: string, value: unknown) => {
    const q = questionFor(key);
    const title = q?.title || key;
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return { title, text: '(inget svar)' };
    const choices = ((q as unknown as { choices?: { value: unknown; text: string }[] })?.choices ?? []) as { value: unknown; text: string }[];
    const label = (v: unknown) => {
      if (v === 'none') return (q as unknown as { noneText?: string })?.noneText ?? 'Inget';
      if (v === 'other') return (q as unknown as { otherText?: string })?.otherText ?? 'Annat';
      return choices.find((c) => c.value === v)?.text ?? String(v);
    };
    if (Array.isArray(value)) return { title, text: value.map(label).join(', ') };
    if (typeof value === 'object') return { title, text: Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('; ') };
    return { title, text: label(value) };
  };

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

function statusText(status: SaveStatus): string {
  switch (status.kind) {
    case 'idle':
      return 'Inga ändringar ännu';
    case 'pending':
      return 'Ändrat – sparas strax';
    case 'saving':
      return 'Sparar…';
    case 'saved':
      return `Sparat ${time(status.at)}`;
    case 'retrying':
      return 'Inte sparat – försöker igen. Svaren finns kvar i webbläsaren.';
    case 'conflict':
      return 'En kollega har sparat samtidigt – välj vilka svar som ska gälla';
    case 'locked':
    case 'error':
      return status.message;
  }
}
