import type { Assignment } from '../../../db/schema';
import type { Answers } from '~/utils/merge';
import { accessLink } from '../rounds/rounds.server';

/**
 * Receipts (kvittenser): a readable, printable list of the answers (labels, not keys) and the
 * receipt e-mail. The e-mail is queued by submitResponse through the outbox.
 */

export interface AnswerLine {
  key: string;
  title: string;
  /** The answer as Swedish text; several lines for multiple choice and matrices. */
  lines: string[];
}

export interface AnswerSection {
  title: string;
  answers: AnswerLine[];
}

type Element = {
  type: string;
  name: string;
  title?: unknown;
  elements?: Element[];
  choices?: unknown[];
  rows?: unknown[];
  columns?: unknown[];
  showNoneItem?: boolean;
  noneText?: unknown;
  showOtherItem?: boolean;
  otherText?: unknown;
  visibleIf?: string;
  inputType?: string;
  displayStyle?: string;
  currency?: string;
};
type SurveyJson = { pages: { name: string; title?: unknown; elements?: Element[] }[] };

function text(value: unknown, fallback: string): string {
  if (typeof value === 'string' && value) return value;
  if (value && typeof value === 'object') {
    const localized = value as Record<string, unknown>;
    const t = localized.sv ?? localized.default;
    if (typeof t === 'string' && t) return t;
  }
  return fallback;
}

function choiceMap(items: unknown[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of items ?? []) {
    if (item && typeof item === 'object' && 'value' in item) {
      const c = item as { value: unknown; text?: unknown };
      map.set(String(c.value), text(c.text, String(c.value)));
    } else map.set(String(item), String(item));
  }
  return map;
}

const numberFormat = new Intl.NumberFormat('sv-SE');

function formatScalar(el: Element, value: unknown): string {
  if (typeof value === 'number') {
    const n = numberFormat.format(value);
    return el.displayStyle === 'currency' || el.currency ? `${n} kr` : n;
  }
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nej';
  return String(value);
}

function answerLines(el: Element, data: Answers): string[] {
  const value = data[el.name];
  const choices = choiceMap(el.choices);
  const label = (v: unknown): string => {
    const key = String(v);
    if (key === 'none' && el.showNoneItem) return text(el.noneText, 'Inget av alternativen');
    if (key === 'other' && el.showOtherItem) {
      const comment = data[`${el.name}-Comment`];
      return `${text(el.otherText, 'Annat')}${comment ? `: ${String(comment)}` : ''}`;
    }
    return choices.get(key) ?? key;
  };
  if (el.type === 'matrix' && value && typeof value === 'object') {
    const rows = choiceMap(el.rows);
    const columns = choiceMap(el.columns);
    return Object.entries(value as Record<string, unknown>).map(([r, c]) => `${rows.get(r) ?? r}: ${columns.get(String(c)) ?? String(c)}`);
  }
  if (Array.isArray(value)) return value.map(label);
  if (choices.size || el.showNoneItem || el.showOtherItem) return [label(value)];
  return [formatScalar(el, value)];
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The answers grouped by page, in form order, with Swedish labels. Unanswered questions are
 * listed as "Inget svar" unless they are conditional (visibleIf), which were probably hidden.
 */
export function answerSections(survey: SurveyJson, data: Answers): AnswerSection[] {
  const sections: AnswerSection[] = [];
  const walk = (elements: Element[] | undefined, out: AnswerLine[]) => {
    for (const el of elements ?? []) {
      if (el.type === 'panel') walk(el.elements, out);
      else if (el.type === 'html') continue;
      else if (isEmpty(data[el.name])) {
        if (!el.visibleIf && el.type !== 'expression') out.push({ key: el.name, title: text(el.title, el.name), lines: ['Inget svar'] });
      } else out.push({ key: el.name, title: text(el.title, el.name), lines: answerLines(el, data) });
    }
  };
  for (const page of survey.pages) {
    const answers: AnswerLine[] = [];
    walk(page.elements, answers);
    if (answers.length) sections.push({ title: text(page.title, page.name), answers });
  }
  return sections;
}

/** The receipt page of an assignment (same secret link, /kvittens). */
export function receiptUrl(assignment: Pick<Assignment, 'id' | 'token_nonce'>, baseUrl?: string): string {
  return `${accessLink(assignment, baseUrl)}/kvittens`;
}

export function formatSwedishDateTime(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'long', timeStyle: 'short' });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The receipt e-mail in Swedish.
 * @example buildReceiptEmail({ organisationName: 'Kiruna', surveyTitle: 'ÖJ 2019', reference: 'ENK-2019-000001-AB12',
 *   submittedAt: '2019-03-01T10:00:00Z', submittedBy: 'Anna', link: 'https://…/svar/…/kvittens' })
 */
export function buildReceiptEmail(input: {
  organisationName: string;
  surveyTitle: string;
  reference: string;
  submittedAt: string;
  submittedBy: string;
  link: string;
}): { subject: string; text: string; html: string } {
  const when = formatSwedishDateTime(input.submittedAt);
  const who = input.organisationName ? ` för ${input.organisationName}` : '';
  const subject = `Kvittens: ${input.surveyTitle}${who} (${input.reference})`;
  const text = [
    'Hej!',
    '',
    `Tack! Svaret på ”${input.surveyTitle}”${who} är inskickat.`,
    '',
    `Referensnummer: ${input.reference}`,
    `Inskickat: ${when} av ${input.submittedBy}`,
    '',
    'Du kan se och skriva ut de inskickade svaren här:',
    input.link,
    '',
    'Behöver något ändras? Kontakta den som skickade enkäten; svaret kan öppnas igen.',
    '',
    'Med vänlig hälsning',
    'Enkätnav',
  ].join('\n');
  const html = `<p>Hej!</p>
<p>Tack! Svaret på ”${escapeHtml(input.surveyTitle)}”${escapeHtml(who)} är inskickat.</p>
<p>Referensnummer: <strong>${escapeHtml(input.reference)}</strong><br>Inskickat: ${escapeHtml(when)} av ${escapeHtml(input.submittedBy)}</p>
<p><a href="${escapeHtml(input.link)}">Se och skriv ut de inskickade svaren</a></p>
<p>Behöver något ändras? Kontakta den som skickade enkäten; svaret kan öppnas igen.</p>
<p>Med vänlig hälsning<br>Enkätnav</p>`;
  return { subject, text, html };
}
