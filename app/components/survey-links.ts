import type { LinkDescriptor } from '@remix-run/node';
// The font-less build: the theme's web font would be fetched from a CDN, which the CSP forbids.
import surveyCoreCss from 'survey-core/survey-core.fontless.min.css';
import surveyCss from '~/styles/survey.css';
import { SURVEY_THEME_REVISION } from '~/utils/survey-theme';

/**
 * Stylesheets for routes that render a SurveyJS form (`links = () => surveyLinks()`). They are
 * not in the root so pages without a form do not load them. The theme's variables come as a
 * cached stylesheet (/survey-theme.css), not inline in every form: before our own survey.css,
 * which overrides some of them.
 */
export function surveyLinks(): LinkDescriptor[] {
  return [
    { rel: 'stylesheet', href: surveyCoreCss },
    { rel: 'stylesheet', href: `/survey-theme.css?v=${SURVEY_THEME_REVISION}` },
    { rel: 'stylesheet', href: surveyCss },
  ];
}
