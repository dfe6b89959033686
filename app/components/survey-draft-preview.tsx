import { useFetcher } from '@remix-run/react';
import type { SurveyModel } from 'survey-core';
import { ClientOnly } from '~/components/client-only';
import { SurveyForm } from '~/components/survey-form';

export interface PreviewResult {
  preview: true;
  ok: boolean;
  errors: { question: string | null; message: string; title?: string }[];
}

/**
 * The draft as the respondent sees it. "Skicka in (test)" sends the answers to the server's
 * validation through the action (`intent=preview-submit`), with the edited form when it is not
 * saved yet (`live`); nothing is stored.
 */
export function SurveyDraftPreview({ json, version, csrf, live = false }: { json: Record<string, unknown>; version: string; csrf: string; live?: boolean }) {
  const fetcher = useFetcher<PreviewResult>();
  const onModel = (model: SurveyModel) => {
    model.checkErrorsMode = 'onComplete';
    model.completeText = 'Skicka in (test)';
    model.onCompleting.add((sender, options) => {
      options.allow = false;
      // An unsaved edit is validated as shown: the form goes along with the answers.
      fetcher.submit({ intent: 'preview-submit', csrf, answers: JSON.stringify(sender.data), ...(live ? { json: JSON.stringify(json) } : {}) }, { method: 'post' });
    });
  };
  const result = fetcher.data?.preview ? fetcher.data : undefined;
  return (
    <section aria-labelledby="preview-h" className="draft-preview">
      <h2 id="preview-h">Förhandsgranskning</h2>
      <p className="notice">Fyll i och skicka in för att se serverns felmeddelanden. Inget sparas.</p>
      <div role="status" aria-live="polite">
        {result ? (
          result.ok ? (
            <p className="flash">Servern godtar svaren. (Inget sparades.)</p>
          ) : (
            <div className="error-summary">
              <h3>Servern godtar inte svaren</h3>
              <ul>
                {result.errors.map((e, i) => (
                  <li key={i}>
                    {e.question ? <code>{e.question}</code> : null} {e.title ? `(${e.title})` : ''}: {e.message}
                  </li>
                ))}
              </ul>
            </div>
          )
        ) : null}
      </div>
      <ClientOnly fallback={<div className="survey-placeholder">Formuläret laddas …</div>}>
        {() => <SurveyForm key={version} json={json} onModel={onModel} />}
      </ClientOnly>
    </section>
  );
}
