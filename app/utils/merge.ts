/**
 * Field-level three-way merge of survey answers, shared by the browser (conflict view) and the
 * server. Each answer key is one field: a field changed on one side only takes that side; a
 * field changed on both sides to different values is a conflict the respondent resolves.
 * An absent key means "no answer", so clearing an answer is a change like any other.
 */
export type Answers = Record<string, unknown>;

export interface MergeConflict {
  key: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface MergeResult {
  /** Every non-conflicting field merged; conflicting fields hold `mine` until resolved. */
  merged: Answers;
  conflicts: MergeConflict[];
}

/** Structural equality for JSON values (key order of objects ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((v, i) => sameValue(v, y[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (!sameValue(x[k], y[k])) return false;
  return true;
}

// SurveyJS drops a cleared text as undefined but may keep '' or []: all mean "no answer".
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * @example threeWayMerge({ a: 1 }, { a: 2 }, { a: 1, b: 3 }) → { merged: { a: 2, b: 3 }, conflicts: [] }
 */
export function threeWayMerge(base: Answers, mine: Answers, theirs: Answers): MergeResult {
  const merged: Answers = {};
  const conflicts: MergeConflict[] = [];
  const keys = new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)]);
  for (const key of keys) {
    const b = base[key];
    const m = mine[key];
    const t = theirs[key];
    let value: unknown;
    if (sameValue(m, t) || sameValue(t, b)) value = m;
    else if (sameValue(m, b)) value = t;
    else {
      conflicts.push({ key, base: b, mine: m, theirs: t });
      value = m;
    }
    if (!isEmpty(value)) merged[key] = value;
  }
  return { merged, conflicts };
}

/** Applies the respondent's choice per conflicting key ('mine' or 'theirs') to a merge result. */
export function resolveConflicts(result: MergeResult, choices: Record<string, 'mine' | 'theirs'>): Answers {
  const out: Answers = { ...result.merged };
  for (const c of result.conflicts) {
    const value = choices[c.key] === 'theirs' ? c.theirs : c.mine;
    if (isEmpty(value)) delete out[c.key];
    else out[c.key] = value;
  }
  return out;
}
