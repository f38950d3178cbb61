import { mean as ssMean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

/** How a figure varies over repetitions: every field in the figure's own unit. */
export interface Spread {
  /** Number of values (repetitions). */
  n: number;
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation (n - 1); null with fewer than two values, where it is undefined. */
  stddev: number | null;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of an empty series');
  return ssMean(values as number[]);
}

/** Sample standard deviation (Bessel-corrected); null for fewer than two values. */
export function sampleStddev(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  return sampleStandardDeviation(values as number[]);
}

/**
 * Quantile q in [0, 1] by linear interpolation between order statistics (R type 7, numpy's default):
 * h = (n - 1) q, value = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of an empty series');
  const sorted = [...values].sort((a, b) => a - b);
  return quantileSorted(sorted, q);
}

/** 95th percentile of a series (type 7), e.g. of a proxy's CPU samples. */
export function p95(values: readonly number[]): number {
  return quantile(values, 0.95);
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of an empty series');
  return {
    n: values.length,
    mean: mean(values),
    min: Math.min(...values),
    max: Math.max(...values),
    stddev: sampleStddev(values),
  };
}

/** Like spread(), but null for an empty series, for figures that may have no repetition at all. */
export function spreadOrNull(values: readonly number[]): Spread | null {
  return values.length === 0 ? null : spread(values);
}
