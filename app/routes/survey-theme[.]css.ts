import { surveyThemeCss } from '~/utils/survey-theme';

/**
 * SurveyJS's base theme (~/utils/survey-theme) as a stylesheet. Linked with `?v=<revision>` by
 * ~/components/survey-links, so it can be cached for a year: a new revision is a new URL.
 */
export function loader() {
  return new Response(surveyThemeCss(), {
    headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' },
  });
}
