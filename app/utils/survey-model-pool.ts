/**
 * Survey-core models built ahead of time, for the server render of the respondent form.
 *
 * Building a model from a survey's JSON (`new Model(json)`) is most of the form page's server
 * time (tens of milliseconds for a 40-question form). A model carries one respondent's answers
 * and render state, so it is never shared or reused: each model is handed out once, unused and
 * exactly as `new Model(json)` made it (so the HTML is the same as from a fresh model), and a
 * replacement is built once a response has been sent (app/server.ts calls the function from
 * `refillAfterResponses`; without that, on the next timer tick), off the next request's path.
 * Built on the next tick, it ran before the compressed page was flushed and made the form page's
 * response ~30 ms slower.
 *
 * Keyed by the JSON text (the loader's data reaches the render as a new object per request): a
 * spare is only ever handed out for exactly the JSON it was built from, so a changed survey
 * cannot get a stale model. At most one spare per JSON and MAX_FORMS JSONs (the oldest goes).
 * In the browser it does nothing: there is one form per page.
 */
import { Model } from 'survey-core';

const MAX_FORMS = 20;
const spares = new Map<string, Model>();
const stats = { built: 0, taken: 0 };
// ENKATNAV_MODEL_POOL=off builds every model on the request's path (the bench compares both).
const enabled = typeof document === 'undefined' && process.env.ENKATNAV_MODEL_POOL !== 'off';

/** JSONs whose spare was handed out and is not rebuilt yet. */
const wanted = new Set<string>();
let onTimer = true;

/**
 * From now on spares are rebuilt when the returned function is called, which the server does
 * after each response has been sent (app/server.ts); until then, on the next timer tick.
 */
export function refillAfterResponses(): () => void {
  onTimer = false;
  return refillSpares;
}

function refillSpares(): void {
  for (const key of wanted) {
    wanted.delete(key);
    if (spares.has(key)) continue;
    stats.built++;
    spares.set(key, new Model(JSON.parse(key)));
    if (spares.size > MAX_FORMS) spares.delete(spares.keys().next().value!);
  }
}

function refill(key: string): void {
  wanted.add(key);
  if (onTimer) setTimeout(refillSpares, 0);
}

/** A model as fresh as `new Model(json)`: a spare built ahead of time when there is one. */
export function freshModel(json: Record<string, unknown>): Model {
  if (!enabled) return new Model(json);
  const key = JSON.stringify(json);
  const spare = spares.get(key);
  spares.delete(key);
  refill(key);
  if (spare) stats.taken++;
  return spare ?? new Model(json);
}

/** How many spares were built and handed out (for tests). */
export function modelPoolStats(): Readonly<typeof stats> {
  return { ...stats };
}
