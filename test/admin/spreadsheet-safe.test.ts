import { describe, expect, it } from 'vitest';
import { safeCell, safeRow } from '~/utils/spreadsheet-safe';

describe('safeCell', () => {
  it('prefixes text that a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+46 8 123', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      expect(safeCell(bad)).toBe(`'${bad}`);
    }
  });

  it('leaves ordinary text, numbers and empty values alone', () => {
    for (const ok of ['Östersund', 'a=b', ' =1', '', "'already"]) expect(safeCell(ok)).toBe(ok);
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(null)).toBeNull();
    expect(safeCell(undefined)).toBeUndefined();
  });

  it('safeRow applies to every column', () => {
    expect(safeRow({ a: '=x', b: 2, c: 'ok' })).toEqual({ a: "'=x", b: 2, c: 'ok' });
  });
});
