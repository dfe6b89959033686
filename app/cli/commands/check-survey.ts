import fs from 'node:fs';
import path from 'node:path';
import { checkSurveyJson, isOurFormat, readSurveyFiles, surveysDir } from '../../models/surveys/surveys.server';
import { UserError, type Command } from '../command';

export const checkSurvey: Command = {
  name: 'check-survey',
  summary: 'Check a survey file (ours or any SurveyJS JSON)',
  help: `Usage: npm run cli -- check-survey <file.json>

Checks a survey file and prints its problems. One of our files ({ "meta", "survey" }) gets the
full check: metadata, the SurveyJS form, our key conventions, and consistency with the other
versions of its family in surveys/ (same key → same type; choices only added). A plain
SurveyJS JSON is checked as a form only: survey-core loads it without errors, element types
exist, names and choice values are unique, expressions refer to existing questions.
Images, video, frames or choices loaded from other hosts get a warning: the app's
Content-Security-Policy blocks them in the respondent's browser.
Exits 1 when there are errors; warnings alone do not fail.`,
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const file = ctx.positionals[0];
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      ctx.out(`${file}: error: not valid JSON: ${(e as Error).message}`);
      return 1;
    }
    const ours = isOurFormat(json);
    // Compare with the family as it is on disk, even if some other file there is broken.
    const peers = ours ? readSurveyFiles(surveysDir()).surveys.filter((s) => path.resolve(s.file) !== path.resolve(file)) : undefined;
    const { errors, warnings } = checkSurveyJson(json, { familyPeers: peers });
    if (ours && errors.length === 0) {
      const id = (json as { meta: { id: string } }).meta.id;
      if (path.basename(file) !== `${id}.json`) warnings.push(`file: meta.id is "${id}"; in surveys/ the file must be named ${id}.json`);
    }
    for (const e of errors) ctx.out(`${file}: error: ${e}`);
    for (const w of warnings) ctx.out(`${file}: warning: ${w}`);
    const kind = ours ? 'survey file' : 'plain SurveyJS form';
    ctx.out(`${file}: ${errors.length ? 'FAILED' : 'OK'} (${kind}; ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'})`);
    return errors.length ? 1 : 0;
  },
};
