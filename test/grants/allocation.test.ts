import { describe, expect, it } from 'vitest';
import { allocateByPopulation, allocateEqually, AllocationError, largestRemainder } from '../../app/models/grants/allocation';

const rec = (pops: number[]) => pops.map((population, i) => ({ id: i + 1, code: String(i + 1).padStart(4, '0'), population }));

describe('allocation', () => {
  it('largest remainder: whole kronor summing exactly to the total, leftovers to the largest remainders', () => {
    expect(largestRemainder(100, [1, 1, 1], ['a', 'b', 'c'])).toEqual([34, 33, 33]);
    // 10 × 1/6 = 1.67, 10 × 2/6 = 3.33, 10 × 3/6 = 5: the one krona left goes to the 0.67 remainder.
    expect(largestRemainder(10, [1, 2, 3], ['a', 'b', 'c'])).toEqual([2, 3, 5]);
    // Ties go by key, not by position.
    expect(largestRemainder(1, [1, 1], ['b', 'a'])).toEqual([0, 1]);
  });

  it('floor rule: those under the floor get it, the rest is split by population again until stable', () => {
    // 1 000 kr, floor 100. Pass 1: only the first (share 1 kr) is under the floor. Pass 2: the 900 kr
    // left split 104 : 895 gives the second 93.7 kr, under the floor too. Pass 3: the third gets 800.
    const lines = allocateByPopulation(rec([1, 104, 895]), 1_000, 100);
    expect(lines.map((l) => [l.amount, l.floored])).toEqual([
      [100, true],
      [100, true],
      [800, false],
    ]);
    const mixed = allocateByPopulation(rec([1_000, 2_000, 60_000, 400_000, 537_000]), 1_000_000, 100_000);
    expect(mixed.map((l) => l.floored)).toEqual([true, true, true, false, false]);
    // 700 000 left, split 400 : 537.
    expect(mixed[3].amount).toBe(Math.round((700_000 * 400_000) / 937_000));
    expect(mixed.reduce((s, l) => s + l.amount, 0)).toBe(1_000_000);
  });

  it('rounding: the sum is exact even when every share has a fraction', () => {
    const lines = allocateByPopulation(rec([3, 3, 3]), 100, 0);
    expect(lines.map((l) => l.amount)).toEqual([34, 33, 33]);
    const many = allocateByPopulation(rec(Array.from({ length: 290 }, (_, i) => 2_400 + ((i * 7919) % 900_000))), 50_000_000, 80_000);
    expect(many.reduce((s, l) => s + l.amount, 0)).toBe(50_000_000);
    expect(many.every((l) => Number.isInteger(l.amount) && l.amount >= 80_000)).toBe(true);
  });

  it('regioner: equal shares, 20 000 000 / 21 gives 952 381 kr (one region 952 380 so the sum is exact)', () => {
    const lines = allocateEqually(rec(Array(21).fill(0)), 20_000_000);
    expect(lines.filter((l) => l.amount === 952_381)).toHaveLength(20);
    expect(lines.filter((l) => l.amount === 952_380)).toHaveLength(1);
    expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(20_000_000);
  });

  it('refuses a floor that the total cannot pay, and missing population', () => {
    expect(() => allocateByPopulation(rec([1, 2, 3]), 200_000, 80_000)).toThrow(AllocationError);
    expect(() => allocateByPopulation(rec([1, -1]), 200_000, 80_000)).toThrow(/no population/);
  });
});
