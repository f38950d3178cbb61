import type { Interval } from './bootstrap.js';

/**
 * The shift between two independent samples: the Hodges-Lehmann estimate (median of every difference
 * x_i - y_j) and the distribution-free confidence interval that inverts the Mann-Whitney test
 * (Hollander, Wolfe & Chicken, Nonparametric Statistical Methods, 3rd ed., section 4.3; the same interval
 * as R's wilcox.test(x, y, conf.int = TRUE, exact = TRUE) without ties).
 *
 * Why here: the units of a run are its repetitions, and on a shared VM one repetition in several can hold
 * a stall of the whole machine (tens of milliseconds) that lifts that window's p99 tenfold. A bootstrap of
 * the merged histogram carries such a window into every resample that draws it; the interval below is made
 * of order statistics of the m x n differences, so k stalled windows on one side move at most k x n of them,
 * and the interval does not move at all while k x n stays below its rank (with 12 windows a side at 95%,
 * rank 38 of 144: up to three stalled windows per side).
 */
export interface ShiftEstimate {
  /** Median of the m x n differences x_i - y_j. */
  point: number;
  /** [d_(c), d_(mn+1-c)] of the sorted differences; null when the samples are too small for the level. */
  interval: Interval | null;
  /** The interval's exact coverage under the shift model, 1 - 2 P(U <= c - 1) (>= the level asked for). */
  coverage: number | null;
  /** c: the rank of the interval's lower end among the sorted differences (1-based). */
  rank: number | null;
}

/** Counts of the Mann-Whitney statistic U over all C(m+n, m) arrangements: counts[u] for u = 0..m*n. */
export function mannWhitneyCounts(m: number, n: number): number[] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0)
    throw new Error(`sample sizes must be non-negative integers, got ${m} and ${n}`);
  // f(i, j)[u]: arrangements of i x's and j y's with U = u; f(i, j) = f(i-1, j) shifted by j + f(i, j-1).
  let prev: number[][] = [];
  for (let i = 0; i <= m; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= n; j++) {
      if (i === 0 || j === 0) {
        row.push([1]);
        continue;
      }
      const a = prev[j] ?? [1]; // f(i-1, j): the last item is an x, which exceeds all j y's
      const b = row[j - 1] ?? [1]; // f(i, j-1): the last item is a y
      const out = new Array<number>(i * j + 1).fill(0);
      a.forEach((c, u) => (out[u + j] = (out[u + j] ?? 0) + c));
      b.forEach((c, u) => (out[u] = (out[u] ?? 0) + c));
      row.push(out);
    }
    prev = row;
  }
  return prev[n] ?? [1];
}

/** c = the largest rank with P(U <= c - 1) <= (1 - confidence) / 2; 0 when even c = 1 is too wide. */
export function mannWhitneyRank(
  m: number,
  n: number,
  confidence: number,
): { rank: number; coverage: number } {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be in (0, 1), got ${confidence}`);
  const counts = mannWhitneyCounts(m, n);
  const total = counts.reduce((s, c) => s + c, 0);
  const alpha = (1 - confidence) / 2;
  let cumulative = 0;
  let rank = 0;
  for (let u = 0; u < counts.length; u++) {
    const next = cumulative + (counts[u] ?? 0);
    if (next / total > alpha + 1e-12) break;
    cumulative = next;
    rank = u + 1;
  }
  return { rank, coverage: 1 - (2 * cumulative) / total };
}

/** Hodges-Lehmann shift of x over y with its Mann-Whitney interval at `confidence`. */
export function shiftEstimate(x: readonly number[], y: readonly number[], confidence: number): ShiftEstimate {
  if (x.length === 0 || y.length === 0) throw new Error('shiftEstimate needs at least one value a side');
  if (![...x, ...y].every(Number.isFinite)) throw new Error('shiftEstimate needs finite values');
  const diffs: number[] = [];
  for (const a of x) for (const b of y) diffs.push(a - b);
  diffs.sort((a, b) => a - b);
  const N = diffs.length;
  const point = N % 2 === 1 ? (diffs[(N - 1) / 2] ?? 0) : ((diffs[N / 2 - 1] ?? 0) + (diffs[N / 2] ?? 0)) / 2;
  const { rank, coverage } = mannWhitneyRank(x.length, y.length, confidence);
  if (rank < 1) return { point, interval: null, coverage: null, rank: null };
  return {
    point,
    interval: { low: diffs[rank - 1] ?? point, high: diffs[N - rank] ?? point },
    coverage,
    rank,
  };
}
