/**
 * SurveyJS 3's base theme as one stylesheet, served by /survey-theme.css and cached by the
 * browser, instead of the ~170 KB `<style>` survey-react-ui writes into every form it renders
 * (we turn that off with `model.generateStylesheet = false` in ~/components/survey-form).
 *
 * It is what survey-react-ui would have written: createBaseThemeStyle() (the theme's CSS
 * variables on `:where(.sd-theme-root)`), then the "-reset" box shadows that survey-core
 * otherwise computes in the browser from getComputedStyle (createResetVariablesStyle). Those are
 * the same shadows with every length set to 0; here they are worked out from the theme's own
 * variables, which is what the browser computes when nothing overrides them.
 */
import { createBaseThemeStyle, createBoxShadowReset, Version } from 'survey-core';

/**
 * Bump the suffix when this file changes what it writes; the prefix is survey-core's version
 * (test/ssr/survey-theme.test.ts checks it), so an upgrade gives a new URL too.
 */
export const SURVEY_THEME_REVISION = '3.0.0-1';

const RESET_VARIABLES = [
  '--sjs2-border-effect-surface-default',
  '--sjs2-border-effect-surface-focused',
  '--sjs2-border-effect-component-formbox-default',
  '--sjs2-border-effect-component-formbox-focused',
];

/** Substitutes `var(--x)` from the theme's own variables, a bounded number of rounds. */
function resolve(value: string, variables: Map<string, string>): string {
  let out = value;
  for (let round = 0; round < 10 && out.includes('var('); round++) {
    out = out.replace(/var\((--[\w-]+)\s*(?:,\s*([^()]*))?\)/g, (_, name: string, fallback?: string) => variables.get(name) ?? fallback ?? '');
  }
  return out.replace(/\s+/g, ' ').trim();
}

let cached: string | undefined;

export function surveyThemeCss(): string {
  if (cached !== undefined) return cached;
  const base = createBaseThemeStyle();
  const variables = new Map([...base.matchAll(/^\s*(--[\w-]+):\s*(.*);$/gm)].map((m) => [m[1], m[2]]));
  const resets = RESET_VARIABLES.filter((name) => variables.has(name)).map((name) => `  ${name}-reset: ${createBoxShadowReset(resolve(variables.get(name)!, variables))};`);
  cached = `/* SurveyJS ${Version} base theme (survey-core createBaseThemeStyle), served by Enkätnav */\n${base}\n:where(.sd-theme-root) {\n${resets.join('\n')}\n}\n`;
  return cached;
}
