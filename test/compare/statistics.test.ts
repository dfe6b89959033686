import { describe, expect, it } from 'vitest';
import { chiSquareSf, chiSquareTest, fisherExact2x2, independenceTest } from '../../app/models/comparisons/statistics';
import { suppressCells } from '../../app/models/comparisons/suppression';
import { sizeClass } from '../../app/utils/size-class';

describe('statistics', () => {
  it('chi-square survival function matches reference critical values', () => {
    // Reference: the 5 % and 1 % critical values of χ² tables.
    expect(chiSquareSf(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSf(6.634897, 1)).toBeCloseTo(0.01, 6);
    expect(chiSquareSf(11.0705, 5)).toBeCloseTo(0.05, 5);
    expect(chiSquareSf(18.30704, 10)).toBeCloseTo(0.05, 5);
    expect(chiSquareSf(0, 3)).toBe(1);
  });

  it('chi-square of a 2×3 table matches a hand computation', () => {
    // Expected counts 15/15/20 per row; χ² = 2·(25/15 + 25/15 + 0/20) = 6.6667, df 2, p = e^(−χ²/2).
    const r = chiSquareTest([[10, 20, 20], [20, 10, 20]])!;
    expect(r.statistic).toBeCloseTo(6.6667, 3);
    expect(r.df).toBe(2);
    expect(r.p).toBeCloseTo(Math.exp(-6.6667 / 2), 4);
    expect(r.warning).toBeUndefined();
  });

  it("Fisher's exact test matches R's fisher.test on the tea-tasting style table", () => {
    // R: fisher.test(matrix(c(1, 11, 9, 3), 2))$p.value = 0.002759456
    expect(fisherExact2x2([[1, 9], [11, 3]]).p).toBeCloseTo(0.002759456, 8);
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857143
    expect(fisherExact2x2([[3, 1], [1, 3]]).p).toBeCloseTo(0.4857143, 6);
  });

  it('uses Fisher for a 2×2 table with small expected counts, chi-square otherwise', () => {
    expect(independenceTest([[1, 9], [6, 3]])?.method).toBe('fisher-exact');
    expect(independenceTest([[100, 90], [80, 110]])?.method).toBe('chi-square');
    expect(independenceTest([[5, 0], [0, 0]])).toBeNull();
  });
});

describe('suppression', () => {
  it('hides counts below the threshold and a complementary cell in the row and column', () => {
    const counts = [
      { ja: 3, nej: 40 },
      { ja: 30, nej: 20 },
      { ja: 33, nej: 60 },
    ];
    const hidden = suppressCells({ counts, values: ['ja', 'nej'], additive: true, threshold: 5 });
    expect([...hidden[0]].sort()).toEqual(['ja', 'nej']); // 3 is small; nej = n − ja would reveal it
    // Column: ja is hidden in one group, so Riket − the other group would reveal it.
    expect(hidden[1].has('ja')).toBe(true);
  });

  it('does nothing without a threshold and leaves zeros visible', () => {
    expect(suppressCells({ counts: [{ a: 1 }, { a: 1 }], values: ['a'], additive: true, threshold: 0 })[0].size).toBe(0);
    expect(suppressCells({ counts: [{ a: 0, b: 50 }, { a: 0, b: 50 }], values: ['a', 'b'], additive: true, threshold: 5 })[0].size).toBe(0);
  });
});

describe('sizeClass', () => {
  it('puts the lower bound in the class above', () => {
    expect(sizeClass(14_999)).toBe('0-15');
    expect(sizeClass(15_000)).toBe('15-30');
    expect(sizeClass(69_999)).toBe('30-70');
    expect(sizeClass(200_000)).toBe('200+');
    expect(sizeClass(null)).toBeNull();
  });
});
