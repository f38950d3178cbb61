import { describe, expect, it } from 'vitest';
import { mulberry32, randomNormal, type Rng } from '../../src/stats/prng.js';
import { mannWhitneyCounts, mannWhitneyRank, shiftEstimate } from '../../src/stats/shift.js';

/** Independent yardstick: U over every way of choosing which m of m+n ranks are the x's. */
function bruteForceCounts(m: number, n: number): number[] {
  const counts = new Array<number>(m * n + 1).fill(0);
  const choose = (start: number, left: number, picked: number[]): void => {
    if (left === 0) {
      const xs = new Set(picked);
      let u = 0;
      let ysBelow = 0;
      for (let r = 0; r < m + n; r++) {
        if (xs.has(r)) u += ysBelow;
        else ysBelow++;
      }
      counts[u] = (counts[u] ?? 0) + 1;
      return;
    }
    for (let r = start; r <= m + n - left; r++) choose(r + 1, left - 1, [...picked, r]);
  };
  choose(0, m, []);
  return counts;
}

function cdf(counts: number[], u: number): number {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.slice(0, u + 1).reduce((s, c) => s + c, 0) / total;
}

describe('Mann-Whitney null distribution', () => {
  it.each([
    [1, 1],
    [2, 3],
    [4, 4],
    [3, 6],
    [6, 6],
    [5, 7],
  ])('m = %d, n = %d: the recursion equals brute-force enumeration', (m, n) => {
    expect(mannWhitneyCounts(m, n)).toEqual(bruteForceCounts(m, n));
  });

  // References: scipy 1.17 mannwhitneyu(x, y, method='exact', alternative='less').pvalue = P(U <= u).
  it.each([
    [6, 6, 5, 0.020562770562770564],
    [6, 6, 6, 0.032467532467532464],
    [8, 8, 13, 0.02494172494172494],
    [5, 7, 5, 0.02398989898989899],
    [12, 12, 37, 0.02245099764954389],
    [12, 12, 38, 0.025932305680589438],
  ])('m = %d, n = %d: P(U <= %d) = %d (scipy)', (m, n, u, p) => {
    expect(cdf(mannWhitneyCounts(m, n), u)).toBeCloseTo(p, 12);
  });

  // Published two-sided 5% critical values of U: 6x6 -> 5, 8x8 -> 13, 10x10 -> 23, 12x12 -> 37, 5x7 -> 5;
  // the interval's rank is one more. 3x3 has no 95% interval (the smallest P(U <= 0) is 1/20 > 0.025).
  it.each([
    [6, 6, 6],
    [8, 8, 14],
    [10, 10, 24],
    [12, 12, 38],
    [5, 7, 6],
    [3, 3, 0],
  ])(
    'm = %d, n = %d: the 95%% interval is the %d-th smallest to the same largest difference',
    (m, n, rank) => {
      const r = mannWhitneyRank(m, n, 0.95);
      expect(r.rank).toBe(rank);
      if (rank > 0) expect(r.coverage).toBeCloseTo(1 - 2 * cdf(bruteOr(m, n), rank - 1), 12);
    },
  );

  it('rejects impossible inputs', () => {
    expect(() => mannWhitneyCounts(-1, 2)).toThrow(/non-negative integers/);
    expect(() => mannWhitneyRank(4, 4, 1)).toThrow(/confidence/);
    expect(() => shiftEstimate([], [1], 0.95)).toThrow(/at least one/);
    expect(() => shiftEstimate([Number.NaN], [1], 0.95)).toThrow(/finite/);
  });
});

function bruteOr(m: number, n: number): number[] {
  return m + n <= 12 ? bruteForceCounts(m, n) : mannWhitneyCounts(m, n);
}

describe('Hodges-Lehmann shift and its interval', () => {
  it('hand-computed: x = [3, 5, 9], y = [1, 2]: differences 1,2,3,4,7,8, median 3.5; no 95% interval at 3x2', () => {
    const r = shiftEstimate([3, 5, 9], [1, 2], 0.95);
    expect(r.point).toBe(3.5);
    expect(r.interval).toBeNull();
  });

  it('6 x 6: the interval is the 6th smallest and 6th largest of the 36 sorted differences', () => {
    const x = [10, 11, 12, 13, 14, 15];
    const y = [0, 0.5, 1, 1.5, 2, 2.5];
    const diffs = x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
    const r = shiftEstimate(x, y, 0.95);
    expect(r.interval).toEqual({ low: diffs[5], high: diffs[30] });
    expect(r.point).toBe(((diffs[17] ?? 0) + (diffs[18] ?? 0)) / 2);
    expect(r.coverage).toBeCloseTo(1 - 2 * 0.020562770562770564, 12);
  });

  it('covers a known shift at its stated level (2000 simulated 12 x 12 experiments, skewed windows)', () => {
    const rng = mulberry32(19);
    const shift = 1.5;
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const y = windows(rng, 12);
      const x = windows(rng, 12).map((v) => v + shift);
      const r = shiftEstimate(x, y, 0.95);
      if (r.interval && r.interval.low <= shift && shift <= r.interval.high) covered++;
    }
    // Exact coverage 0.9551; with 2000 trials the binomial standard error is 0.0046, so +-0.02 is over 4 SE.
    expect(covered / trials).toBeGreaterThan(0.9351);
    expect(covered / trials).toBeLessThan(0.9751);
  });

  it('three stalled windows out of twelve on one side do not move the interval off a 1.5 ms shift', () => {
    const rng = mulberry32(7);
    const y = windows(rng, 12);
    const x = windows(rng, 12).map((v) => v + 1.5);
    const clean = shiftEstimate(x, y, 0.95);
    // A stall of the VM lifts a window's p99 to tens of milliseconds, on baseline's side here.
    const stalled = [...y];
    stalled[2] = 24;
    stalled[7] = 41;
    stalled[10] = 7.3;
    const r = shiftEstimate(x, stalled, 0.95);
    expect(clean.interval!.low).toBeGreaterThan(0);
    expect(r.interval!.low).toBeGreaterThan(0);
    expect(r.interval!.low).toBeLessThanOrEqual(1.5);
    expect(r.interval!.high).toBeGreaterThanOrEqual(1.5);
    expect(Math.abs(r.point - 1.5)).toBeLessThan(0.3);
  });
});

/** A window's p99 in ms: 0.4 ms plus a right-skewed spread (lognormal, sigma 0.5), as on a quiet VM. */
function windows(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => 0.4 * Math.exp(0.5 * randomNormal(rng)));
}
