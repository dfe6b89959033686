import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Answers } from '~/utils/merge';
import { answerSections, formatSwedishDateTime, type AnswerSection } from './receipts.server';
import { jointLeadOf } from '../rounds/joint.server';
import { ensureResponse, loadRespondentContext } from './responses.server';
import { deadlineOf, editStateOf, type EditState } from '../rounds/rounds.server';
import { getSurvey, previousVersion } from '../surveys/surveys.server';

/**
 * What the respondent pages show, assembled once on the server so the routes stay thin and
 * the HTML carries everything except the SurveyJS widget.
 */

const DEFAULT_CONTACT = 'Kontakta den myndighet som skickade enkäten.';
const parse = (json: string | null | undefined): Answers => (json ? (JSON.parse(json) as Answers) : {});

export interface FormView {
  organisationName: string | null;
  personName: string | null;
  roundTitle: string;
  surveyTitle: string;
  surveyDescription: string;
  /** `joint`: the organisation answers through another's joint report; its own form is read-only. */
  state: EditState | 'joint';
  /** The lead organisation of the joint report, when state is `joint`. */
  jointLeadName: string | null;
  /** Reopened by an administrator after a submission: edit and submit again. */
  reopened: boolean;
  deadlineText: string;
  opensText: string;
  contactText: string;
  version: number;
  data: Answers;
  lastSavedAt: string | null;
  lastSavedText: string | null;
  lastSavedBy: string | null;
  submittedText: string | null;
  submittedBy: string | null;
  reference: string | null;
  /** Carried-over answers: key → the value carried over (marked while unchanged). */
  prefilled: Answers;
  previousYear: number | null;
  /** SurveyJS JSON, only when the form can be edited. */
  surveyJson: Record<string, unknown> | null;
  /** Server-rendered answers, when the form is read-only. */
  sections: AnswerSection[] | null;
}

/** The form page for a link token; undefined when the token leads nowhere. */
export async function formView(db: Kysely<Database>, token: string): Promise<FormView | undefined> {
  const ctx = await loadRespondentContext(db, token);
  if (!ctx) return undefined;
  const survey = getSurvey(ctx.round.survey_id);
  if (!survey) throw new Error(`round ${ctx.round.id} names unknown survey ${ctx.round.survey_id}`);
  const lead = await jointLeadOf(db, ctx.assignment.id);
  const state = lead ? 'joint' : editStateOf(ctx.round, ctx.assignment);
  // The response (with its prefill) is created when the form is first opened for editing.
  const response = state === 'open' ? await ensureResponse(db, ctx) : ctx.response;
  const data = parse(response?.data);
  const prefilledKeys = response?.prefilled_keys ? (JSON.parse(response.prefilled_keys) as string[]) : [];
  let prefilled: Answers = {};
  if (prefilledKeys.length && response) {
    const first = await db.selectFrom('response_revisions').select('data').where('response_id', '=', response.id).where('version', '=', 0).executeTakeFirst();
    const initial = parse(first?.data);
    prefilled = Object.fromEntries(prefilledKeys.filter((k) => k in initial).map((k) => [k, initial[k]]));
  }
  return {
    organisationName: ctx.organisation?.name ?? null,
    personName: ctx.assignment.person_name,
    roundTitle: ctx.round.title,
    surveyTitle: survey.meta.title,
    surveyDescription: survey.meta.description,
    state,
    jointLeadName: lead?.organisationName ?? null,
    reopened: ctx.assignment.status === 'reopened',
    deadlineText: formatSwedishDateTime(deadlineOf(ctx.round, ctx.assignment)),
    opensText: formatSwedishDateTime(ctx.round.opens_at),
    contactText: ctx.round.contact_text ?? DEFAULT_CONTACT,
    version: response?.version ?? 0,
    data,
    lastSavedAt: response?.last_saved_at ?? null,
    lastSavedText: response?.last_saved_at ? formatSwedishDateTime(response.last_saved_at) : null,
    lastSavedBy: response?.last_saved_by ?? null,
    submittedText: response?.submitted_at ? formatSwedishDateTime(response.submitted_at) : null,
    submittedBy: response?.submitted_by ?? null,
    reference: response?.reference ?? null,
    prefilled,
    previousYear: prefilledKeys.length ? (previousVersion(survey)?.meta.year ?? null) : null,
    surveyJson: state === 'open' ? survey.json : null,
    sections: state === 'open' || state === 'joint' ? null : answerSections(survey.json as never, data),
  };
}

export interface ReceiptView {
  organisationName: string | null;
  personName: string | null;
  roundTitle: string;
  surveyTitle: string;
  reference: string;
  submittedText: string;
  submittedBy: string | null;
  /** True when the response was reopened after this submission (a newer one may follow). */
  reopened: boolean;
  sections: AnswerSection[];
}

/** The latest submission of a link's response; `null` when nothing is submitted yet. */
export async function receiptView(db: Kysely<Database>, token: string): Promise<ReceiptView | null | undefined> {
  const ctx = await loadRespondentContext(db, token);
  if (!ctx) return undefined;
  if (!ctx.response) return null;
  const submission = await db
    .selectFrom('response_revisions')
    .selectAll()
    .where('response_id', '=', ctx.response.id)
    .where('kind', '=', 'submit')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!submission) return null;
  const survey = getSurvey(ctx.response.survey_id);
  if (!survey) throw new Error(`unknown survey ${ctx.response.survey_id}`);
  return {
    organisationName: ctx.organisation?.name ?? null,
    personName: ctx.assignment.person_name,
    roundTitle: ctx.round.title,
    surveyTitle: survey.meta.title,
    reference: submission.note ?? ctx.response.reference ?? '',
    submittedText: formatSwedishDateTime(submission.saved_at),
    submittedBy: submission.saved_by,
    reopened: ctx.assignment.status !== 'submitted',
    sections: answerSections(survey.json as never, parse(submission.data)),
  };
}
