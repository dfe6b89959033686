import { describe, expect, it } from 'vitest';
import { countText } from '~/utils/plural';

describe('countText', () => {
  it('uses the singular for exactly one', () => {
    expect(countText(1, 'inbjudan', 'inbjudningar')).toBe('1 inbjudan');
    expect(countText(1, 'kommun', 'kommuner')).toBe('1 kommun');
  });
  it('uses the plural for zero and more than one, with Swedish digit grouping', () => {
    expect(countText(0, 'påminnelse', 'påminnelser')).toBe('0 påminnelser');
    expect(countText(2, 'inbjudan', 'inbjudningar')).toBe('2 inbjudningar');
    expect(countText(1290, 'kontakt', 'kontakter')).toBe('1\u00a0290 kontakter');
  });
});
