/**
 * The one place that renders SurveyJS (survey-react-ui). Isomorphic: /svar/<token> renders it
 * on the server and hydrates it; /enkater/$id and the draft preview still show it inside
 * <ClientOnly>. Only routes that show a form import it, so SurveyJS stays out of the root
 * bundle; those routes add `surveyLinks()` (~/components/survey-links) to their `links`.
 *
 * Server and browser build the same markup from the same props: survey-core numbers element
 * ids per survey model (`sq_0`, `sp_0`, … from the model's own id generator), not from a
 * global counter, so a fresh model gives the same ids in Node and in the browser
 * (test/ssr/survey-render.test.ts checks it). `onModel` runs on both sides too: it may only set
 * what shapes the markup; browser work (handlers that save, timers) goes in an effect.
 *
 * Give it a `key` (e.g. the survey id): the model is created once per mount, from the props of
 * that first render. After that the survey updates itself from its model (survey-react-ui
 * subscribes to what it shows), so a re-render of the parent does not re-render it: without the
 * memo, every autosave status and the respondent's name after hydration re-rendered all of a
 * 43-question form (several hundred milliseconds on a slow laptop).
 */
import { memo, useState } from 'react';
import type { SurveyModel } from 'survey-core';
import { Survey } from 'survey-react-ui';
import { SURVEY_LOCALE } from '~/utils/survey-locale';
import { freshModel } from '~/utils/survey-model-pool';

export interface SurveyFormProps {
  /** SurveyJS JSON. */
  json: Record<string, unknown>;
  /** Answers to start from. */
  data?: Record<string, unknown>;
  readOnly?: boolean;
  /** Called once with the new model, before the first render, on the server too: set options. */
  onModel?: (model: SurveyModel) => void;
  showCompleteButton?: boolean;
  className?: string;
}

export const SurveyForm = memo(SurveyFormOnce, (previous, next) => previous.className === next.className);

function SurveyFormOnce({ json, data, readOnly = false, onModel, showCompleteButton = true, className }: SurveyFormProps) {
  const [model] = useState(() => {
    // On the server a model built ahead of time (~/utils/survey-model-pool), never used before.
    const m = freshModel(json);
    // A form's own locale (a foreign form in German, say) picks its translated texts; ours are sv.
    m.locale = typeof json.locale === 'string' && json.locale ? json.locale : SURVEY_LOCALE;
    m.showProgressBar = true;
    m.progressBarLocation = 'top';
    m.showCompleteButton = showCompleteButton;
    // Our pages carry the headings; the survey title would repeat the page's <h1>.
    m.showTitle = false;
    // The theme's CSS variables come from /survey-theme.css (~/components/survey-links), cached,
    // instead of a ~170 KB <style> inside every rendered form.
    m.generateStylesheet = false;
    if (data) m.data = data;
    if (readOnly) m.readOnly = true;
    onModel?.(m);
    return m;
  });
  return (
    <div className={['survey-form', className].filter(Boolean).join(' ')}>
      <Survey model={model} />
    </div>
  );
}
