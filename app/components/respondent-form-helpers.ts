import type { Model, Question } from 'survey-core';
import { sameValue, type Answers } from '~/utils/merge';
import type { SaveStatus } from './respondent-sync.client';

/**
 * Pure helpers of the respondent form (~/components/respondent-form): used on the server and
 * in the browser alike, so they must give the same output on both (no clock, no time zone of
 * the machine, no browser APIs).
 */

const PREFILL_NOTE = 'Från förra året – kontrollera att svaret stämmer.';

/**
 * Swedish time of day. The zone is fixed: the server renders the text and the browser hydrates
 * it, so both must agree whatever zone either machine is in.
 */
export const savedTime = (iso: string) => new Date(iso).toLocaleTimeString('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' });

/**
 * Marks carried-over answers ("Från förra året") in their question's description while the
 * value is still the carried-over one. `mark` is called again whenever a value changes.
 */
export function prefillMarker(model: Model, prefilled: Answers) {
  const descriptions = new Map<string, string>();
  const mark = (q: Question) => {
    if (!(q.name in prefilled)) return;
    if (!descriptions.has(q.name)) descriptions.set(q.name, q.description ?? '');
    const original = descriptions.get(q.name) ?? '';
    q.description = sameValue(q.value, prefilled[q.name]) ? [original, PREFILL_NOTE].filter(Boolean).join(' ') : original;
  };
  const markAll = () =>
    Object.keys(prefilled).forEach((k) => {
      const q = model.getQuestionByName(k);
      if (q) mark(q);
    });
  return { mark, markAll };
}

/** A question's title and the answer as text, for the conflict view. */
export function describeAnswer(q: Question | null, key: string, value: unknown): { title: string; text: string } {
  const title = q?.title || key;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return { title, text: '(inget svar)' };
  const choices = ((q as unknown as { choices?: { value: unknown; text: string }[] })?.choices ?? []) as { value: unknown; text: string }[];
  const label = (v: unknown) => {
    if (v === 'none') return (q as unknown as { noneText?: string })?.noneText ?? 'Inget';
    if (v === 'other') return (q as unknown as { otherText?: string })?.otherText ?? 'Annat';
    return choices.find((c) => c.value === v)?.text ?? String(v);
  };
  if (Array.isArray(value)) return { title, text: value.map(label).join(', ') };
  if (typeof value === 'object') return { title, text: Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('; ') };
  return { title, text: label(value) };
}

export function statusText(status: SaveStatus): string {
  switch (status.kind) {
    case 'idle':
      return 'Inga ändringar ännu';
    case 'pending':
      return 'Ändrat – sparas strax';
    case 'saving':
      return 'Sparar…';
    case 'saved':
      return `Sparat ${savedTime(status.at)}`;
    case 'retrying':
      return 'Inte sparat – försöker igen. Svaren finns kvar i webbläsaren.';
    case 'conflict':
      return 'En kollega har sparat samtidigt – välj vilka svar som ska gälla';
    case 'locked':
    case 'error':
      return status.message;
  }
}
