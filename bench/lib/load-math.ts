import { quantile } from '../../src/stats/summary.js';

/**
 * Nearest-rank percentile of an ascending array: the smallest value with at least p% of the values at or
 * below it. HdrHistogram's getValueAtPercentile uses the same definition (to its bucket resolution), so tools
 * whose raw values we have (hey's CSV) and the builtin engine's histograms are read alike.
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Relative error of an achieved rate against its target, e.g. -0.004 for 0.4% short. */
export function rateError(achieved: number, target: number): number {
  return achieved / target - 1;
}

/** Achieved rate within 1% of the target: the bar for "holds the rate". */
export const RATE_TOLERANCE = 0.01;

/** CPU per 1000 RPS in millicores, which is also CPU milliseconds per 1000 requests. */
export function millicoresPer1000Rps(cpuSeconds: number, requests: number): number {
  return (cpuSeconds * 1000) / (requests / 1000);
}

/** The median of some values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? NaN : quantile(values, 0.5);
}
