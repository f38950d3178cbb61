import { describe, expect, it } from 'vitest';
import { differenceInterval } from '../../src/compare/difference.js';
import { benjaminiHochberg } from '../../src/compare/multiple-testing.js';
import { studentTCritical } from '../../src/compare/student-t-quantile.js';

describe('studentTCritical', () => {
  // Reference values: R qt(0.975, df) / qt(0.995, df), as in any t table; 5 decimals are what a table prints.
  it.each([
    [1, 0.95, 12.706205],
    [2, 0.95, 4.302653],
    [4, 0.95, 2.776445],
    [30, 0.95, 2.042272],
    [1e6, 0.95, 1.959966],
    [4, 0.99, 4.604095],
    [2.5, 0.95, 3.574655], // fractional df (Welch): scipy.stats.t.ppf(0.975, 2.5)
  ])('df %f at %f -> %f', (df, conf, t) => {
    expect(studentTCritical(df, conf)).toBeCloseTo(t, 5);
  });

  it('rejects impossible arguments', () => {
    expect(() => studentTCritical(0, 0.95)).toThrow();
    expect(() => studentTCritical(3, 1)).toThrow();
  });
});

describe('differenceInterval (Welch t-interval centred on the headline change)', () => {
  it('matches the hand computation: n = 3 a side, sd 1 each -> se sqrt(2/3), df 4', () => {
    const i = differenceInterval(2, { n: 3, mean: 10, stddev: 1 }, { n: 3, mean: 12, stddev: 1 }, 0.95);
    const half = 2.776445 * Math.sqrt(2 / 3);
    expect(i?.df).toBeCloseTo(4, 10);
    expect(i?.low).toBeCloseTo(2 - half, 5);
    expect(i?.high).toBeCloseTo(2 + half, 5);
    // t = 2 / 0.8165 = 2.449 at df 4: two-sided p = 0.0704 (R: 2 * pt(-2.449490, 4)).
    expect(i?.pValue).toBeCloseTo(0.0704, 3);
  });

  it('is centred on the change given, not on the difference of means', () => {
    const i = differenceInterval(1.5, { n: 3, mean: 10, stddev: 1 }, { n: 3, mean: 12, stddev: 1 }, 0.95);
    expect(((i?.low ?? 0) + (i?.high ?? 0)) / 2).toBeCloseTo(1.5, 10);
  });

  it('collapses to the change when neither run varies, with p 0 for a change and 1 for none', () => {
    expect(
      differenceInterval(0.3, { n: 3, mean: 1, stddev: 0 }, { n: 3, mean: 1.3, stddev: 0 }, 0.95),
    ).toMatchObject({ low: 0.3, high: 0.3, pValue: 0 });
    expect(
      differenceInterval(0, { n: 3, mean: 1, stddev: 0 }, { n: 3, mean: 1, stddev: 0 }, 0.95)?.pValue,
    ).toBe(1);
  });

  it('needs two repetitions in each run', () => {
    expect(
      differenceInterval(1, { n: 1, mean: 1, stddev: null }, { n: 3, mean: 2, stddev: 1 }, 0.95),
    ).toBeNull();
    expect(differenceInterval(1, null, { n: 3, mean: 2, stddev: 1 }, 0.95)).toBeNull();
  });
});

describe('benjaminiHochberg', () => {
  it('rejects up to the largest rank k with p(k) <= k q / m (step-up)', () => {
    // Sorted: 0.001 <= 0.0125 yes; 0.03 <= 0.025 no; 0.04 <= 0.0375 no; 0.2 no -> k = 1.
    expect(benjaminiHochberg([0.001, 0.2, 0.03, 0.04], 0.05)).toEqual([true, false, false, false]);
    // Step-up: 0.04 fails at rank 1 and 2 but passes at rank 3 (0.04 <= 0.05), so all three are rejected.
    expect(benjaminiHochberg([0.04, 0.04, 0.04], 0.05)).toEqual([true, true, true]);
    expect(benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05], 0.05)).toEqual([true, true, true, true, true]);
  });

  it('is stricter than one test at a time when there are many', () => {
    const p = [0.02, ...new Array<number>(19).fill(0.9)];
    expect(benjaminiHochberg(p, 0.05)[0]).toBe(false); // 0.02 > 1 x 0.05 / 20
    expect(benjaminiHochberg([0.02], 0.05)).toEqual([true]);
  });

  it('never rejects NaN and handles an empty family', () => {
    expect(benjaminiHochberg([Number.NaN, 0.001], 0.05)).toEqual([false, true]);
    expect(benjaminiHochberg([], 0.05)).toEqual([]);
  });
});
