/**
 * Issue 17 §7: a form that loads images or video from other hosts is blocked by the app's
 * Content-Security-Policy; check-survey warns (never errors), naming the question, the host and
 * what to do, in the CLI and in the review on /admin/enkater/$id (test/admin/enkater-routes).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSurveyJson } from '../../app/models/surveys/surveys.server';
import { securityHeaders } from '../../app/utils/security-headers.server';
import { cli, readJson, ROOT, THIRD_PARTY } from './helpers';

const FIXTURE = path.join(ROOT, 'test/fixtures/external-media.json');

describe('check-survey warns about media the Content-Security-Policy blocks', () => {
  it('names each question, host and what to do; local and data: addresses pass', () => {
    const { errors, warnings } = checkSurveyJson(readJson(FIXTURE));
    expect(errors).toEqual([]);
    const csp = (w: string) => w.includes("which the app's Content-Security-Policy blocks");
    expect(warnings.filter(csp).map((w) => w.split(', which')[0])).toEqual([
      'the survey loads an image from logo.example.se (logo)',
      'question "karta" loads an image from cdn.example.org (imageLink)',
      'question "film" loads a video from media.example.org (imageLink)',
      'question "klipp" loads a page (frame) from www.youtube.com (imageLink)',
      'question "djur" loads an image from pics.example.net (imageLink of a choice)',
      'question "info" loads an image from gammal.example.com (<img> in html)',
    ]);
    expect(warnings.find((w) => w.includes('"karta"'))).toMatch(/\(img-src 'self' data: blob:\): put the image in the form as a data: URL, serve it from this site, or remove it$/);
    expect(warnings.find((w) => w.includes('"film"'))).toMatch(/\(media-src falls back to default-src 'self'\): serve the file from this site/);
    expect(warnings.join('\n')).not.toMatch(/"egen"|"inbaddad"|"svar"/);
  });

  it('follows the policy: the directives named are the ones the server sends', () => {
    const policy = securityHeaders('n', false)['Content-Security-Policy'];
    expect(policy).toContain("img-src 'self' data: blob:");
    expect(policy).not.toMatch(/media-src|frame-src/);
  });

  it('prints the warnings in the CLI and still exits 0', async () => {
    const { code, stdout } = await cli('check-survey', FIXTURE);
    expect(code).toBe(0);
    expect(stdout).toContain(`${FIXTURE}: warning: question "karta" loads an image from cdn.example.org (imageLink), which the app's Content-Security-Policy blocks`);
    expect(stdout).toMatch(/: OK \(plain SurveyJS form; 0 errors, 6 warnings\)$/);
  });

  it('a SurveyJS corpus form with choices from another host gets the warning too', async () => {
    // No form in the corpus loads images from other hosts; this one loads its choices (connect-src).
    const file = path.join(THIRD_PARTY, 'questiontype-dropdownrestfull.json');
    const { code, stdout } = await cli('check-survey', file);
    expect(code).toBe(0);
    expect(stdout).toContain('loads its choices from services.groupkt.com (choicesByUrl), which the app\'s Content-Security-Policy blocks in the browser (connect-src \'self\'): write the choices into the form');
  });
});
