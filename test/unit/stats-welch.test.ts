import { describe, expect, it } from 'vitest';
import { studentTTwoSidedP } from '../../src/stats/student-t.js';
import { welchTTest, welchTTestFromSummaries } from '../../src/stats/welch.js';

describe("Student's t two-sided p-value", () => {
  // References: scipy 1.17 2 * stats.t.sf(t, df); the last row is the textbook 0.05 critical value for df 1.
  it.each([
    [2.0, 10, 0.07338803477074037],
    [2.228, 10, 0.05001177181711132],
    [1.5, 3.5, 0.21781818701534503],
    [12.7062, 1, 0.0500000185607104],
    [0, 5, 1],
  ])('t = %d, df = %d -> p = %d', (t, df, p) => {
    expect(studentTTwoSidedP(t, df)).toBeCloseTo(p, 8);
  });
});

describe("Welch's t-test", () => {
  it('hand-computed: [1..5] vs [2,4,..,10]', () => {
    // means 3 and 6, variances 2.5 and 10; se^2 = 2.5/5 + 10/5 = 2.5; t = -3/sqrt(2.5);
    // df = 2.5^2 / (0.5^2/4 + 2^2/4) = 6.25/1.0625 = 5.88235...; p from scipy: 0.10753119493062728.
    const r = welchTTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(r?.meanDifference).toBe(-3);
    expect(r?.t).toBeCloseTo(-3 / Math.sqrt(2.5), 12);
    expect(r?.df).toBeCloseTo(6.25 / 1.0625, 12);
    expect(r?.pValue).toBeCloseTo(0.10753119493062728, 8);
  });

  it('a clear shift with three repetitions a side is significant (scipy: p = 7.694e-6)', () => {
    const r = welchTTest([10.1, 10.3, 9.9], [5.0, 5.2, 4.9]);
    expect(r?.pValue).toBeCloseTo(7.694177901776174e-6, 9);
    expect(r?.df).toBeCloseTo(3.740932642487044, 9);
  });

  it('degenerate cases', () => {
    expect(welchTTest([1], [1, 2])).toBeNull();
    expect(welchTTest([2, 2], [2, 2])).toMatchObject({ t: 0, pValue: 1 });
    expect(welchTTest([3, 3], [2, 2])).toMatchObject({ t: null, pValue: 0 });
  });
});

describe("Welch's t-test from summaries", () => {
  it('matches the series version (scipy ttest_ind_from_stats gives the same p = 0.10753)', () => {
    const a = { n: 5, mean: 3, stddev: Math.sqrt(2.5) };
    const b = { n: 5, mean: 6, stddev: Math.sqrt(10) };
    expect(welchTTestFromSummaries(a, b)?.pValue).toBeCloseTo(0.10753119493062728, 8);
    expect(welchTTestFromSummaries({ n: 1, mean: 3, stddev: null }, b)).toBeNull();
  });
});
