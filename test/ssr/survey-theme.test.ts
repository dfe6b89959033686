/**
 * SurveyJS's base theme is served once as /survey-theme.css (cached for a year under a
 * versioned URL) instead of a ~170 KB <style> inside every rendered form.
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { createBaseThemeStyle, Version } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { surveyLinks } from '~/components/survey-links';
import { SurveyForm } from '~/components/survey-form';
import { getSurvey } from '~/models/surveys/surveys.server';
import { loader } from '~/routes/survey-theme[.]css';
import { SURVEY_THEME_REVISION } from '~/utils/survey-theme';
import { callLoader } from '../helpers/request';

describe('survey theme stylesheet', () => {
  it('is served as cacheable CSS holding the theme variables and the box-shadow resets', async () => {
    const res = (await callLoader(loader, `/survey-theme.css?v=${SURVEY_THEME_REVISION}`)) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await res.text();
    expect(css.includes(createBaseThemeStyle()), 'the whole base theme').toBe(true);
    for (const name of ['surface-default', 'surface-focused', 'component-formbox-default', 'component-formbox-focused']) {
      expect(css).toMatch(new RegExp(`--sjs2-border-effect-${name}-reset: (inset )?0px 0px 0px 0px [^;]+;`));
    }
    expect(css).not.toMatch(/-reset: [^;]*var\(/);
  });

  it('is linked under a URL that changes with survey-core, and forms carry no inline <style>', () => {
    expect(SURVEY_THEME_REVISION.startsWith(`${Version}-`), 'bump SURVEY_THEME_REVISION after a survey-core upgrade').toBe(true);
    expect(surveyLinks().map((l) => ('href' in l ? l.href : ''))).toContain(`/survey-theme.css?v=${SURVEY_THEME_REVISION}`);
    const html = renderToString(createElement(SurveyForm, { json: getSurvey('oj-vinr-2019')!.json as Record<string, unknown> }));
    expect(html.includes('<style'), 'an inline <style> in the form').toBe(false);
    expect(html.length).toBeLessThan(20_000);
  });
});
