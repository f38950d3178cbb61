import { randomInt, type Rng } from './prng.js';
import { quantile } from './summary.js';

/** A two-sided confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples drawn; 2000 gives stable 2.5%/97.5% quantiles (Efron & Tibshirani 1993, ch. 19, suggest >= 1000). */
  iterations: number;
  /** Two-sided level, e.g. 0.95. */
  confidence: number;
  rng: Rng;
}

/** Draws n items with replacement from n: how many times each index was drawn (sums to n). */
export function resampleWeights(rng: Rng, n: number): number[] {
  const w = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const k = randomInt(rng, n);
    w[k] = (w[k] ?? 0) + 1;
  }
  return w;
}

/** Percentile interval: the (1-c)/2 and (1+c)/2 quantiles (type 7) of a bootstrap distribution. */
export function percentileInterval(samples: readonly number[], confidence: number): Interval {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be in (0, 1), got ${confidence}`);
  const alpha = (1 - confidence) / 2;
  return { low: quantile(samples, alpha), high: quantile(samples, 1 - alpha) };
}

/**
 * Stratified bootstrap: each iteration resamples every group independently with replacement (group sizes
 * kept), passes the weight vectors to `statistic`, which returns a vector of figures; the result is one
 * percentile interval per figure. Draws happen in a fixed order (iteration, then group), so the same rng
 * seed always gives the same intervals.
 */
export function bootstrapIntervals(
  groupSizes: readonly number[],
  statistic: (weights: number[][]) => readonly number[],
  opts: BootstrapOptions,
): Interval[] {
  if (opts.iterations < 1) throw new Error('bootstrap needs at least one iteration');
  let draws: number[][] | undefined;
  for (let it = 0; it < opts.iterations; it++) {
    const weights = groupSizes.map((n) => resampleWeights(opts.rng, n));
    const figures = statistic(weights);
    draws ??= figures.map(() => []);
    figures.forEach((f, i) => draws?.[i]?.push(f));
  }
  return (draws ?? []).map((d) => percentileInterval(d, opts.confidence));
}

function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let s = 0;
  let n = 0;
  values.forEach((v, i) => {
    s += v * (weights[i] ?? 0);
    n += weights[i] ?? 0;
  });
  return s / n;
}

/** Bootstrap interval of mean(a) - mean(b), each series resampled on its own. */
export function bootstrapMeanDifference(
  a: readonly number[],
  b: readonly number[],
  opts: BootstrapOptions,
): Interval {
  if (a.length === 0 || b.length === 0) throw new Error('bootstrapMeanDifference needs two non-empty series');
  const [interval] = bootstrapIntervals(
    [a.length, b.length],
    ([wa = [], wb = []]) => [weightedMean(a, wa) - weightedMean(b, wb)],
    opts,
  );
  if (!interval) throw new Error('unreachable: no bootstrap interval');
  return interval;
}

/** Whether an interval lies entirely on one side of 0. */
export function excludesZero(i: Interval): boolean {
  return i.low > 0 || i.high < 0;
}
