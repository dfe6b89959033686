import type { LinkDescriptor } from '@remix-run/node';
// The font-less build: the theme's web font would be fetched from a CDN, which the CSP forbids.
import surveyCoreCss from 'survey-core/survey-core.fontless.min.css';
import surveyCss from '~/styles/survey.css';

/**
 * Stylesheets for routes that render a SurveyJS form (`links = () => surveyLinks()`). They are
 * not in the root so pages without a form do not load them.
 */
export function surveyLinks(): LinkDescriptor[] {
  return [
    { rel: 'stylesheet', href: surveyCoreCss },
    { rel: 'stylesheet', href: surveyCss },
  ];
}
