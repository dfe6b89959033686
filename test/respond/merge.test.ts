import { describe, expect, it } from 'vitest';
import { resolveConflicts, sameValue, threeWayMerge } from '~/utils/merge';

describe('three-way merge of answers', () => {
  it('takes each side’s changes to different fields', () => {
    const base = { a: 'ja', b: 'nej', c: ['x'] };
    const mine = { a: 'nej', b: 'nej', c: ['x'] };
    const theirs = { a: 'ja', b: 'ja', c: ['x', 'y'], d: 'ny' };
    expect(threeWayMerge(base, mine, theirs)).toEqual({ merged: { a: 'nej', b: 'ja', c: ['x', 'y'], d: 'ny' }, conflicts: [] });
  });

  it('treats a cleared answer as a change and equal edits as no conflict', () => {
    expect(threeWayMerge({ a: 1, b: 2 }, { b: 2 }, { a: 1, b: 3 })).toEqual({ merged: { b: 3 }, conflicts: [] });
    expect(threeWayMerge({ a: 1 }, { a: 2 }, { a: 2 })).toEqual({ merged: { a: 2 }, conflicts: [] });
    expect(sameValue({ r1: 'a', r2: 'b' }, { r2: 'b', r1: 'a' })).toBe(true);
    expect(sameValue('', undefined)).toBe(true);
    expect(sameValue([], undefined)).toBe(true);
  });

  it('reports both-sided changes as conflicts and applies the respondent’s choices', () => {
    const result = threeWayMerge({ a: 1, b: 1 }, { a: 2, b: 5 }, { a: 3, b: 1, c: 9 });
    expect(result.conflicts).toEqual([{ key: 'a', base: 1, mine: 2, theirs: 3 }]);
    expect(result.merged).toEqual({ a: 2, b: 5, c: 9 });
    expect(resolveConflicts(result, { a: 'theirs' })).toEqual({ a: 3, b: 5, c: 9 });
    const cleared = threeWayMerge({ a: 1 }, {}, { a: 2 });
    expect(cleared.conflicts).toHaveLength(1);
    expect(resolveConflicts(cleared, { a: 'mine' })).toEqual({});
  });
});
