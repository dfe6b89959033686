import { describe, expect, it } from 'vitest';
import { positiveId } from '../../app/utils/route-params';

describe('positiveId', () => {
  it('reads a positive integer id parameter', () => {
    expect(positiveId('1')).toBe(1);
    expect(positiveId('4711')).toBe(4711);
  });

  it('gives nothing for a parameter that cannot be an id', () => {
    for (const bad of [undefined, '', '0', '-1', '1.5', 'abc', '7x', 'NaN', 'Infinity']) expect(positiveId(bad), String(bad)).toBeUndefined();
  });
});
