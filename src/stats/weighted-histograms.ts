import { histogramBuckets, type Histogram } from './histogram.js';

/**
 * Several histograms (one per repetition) laid over one shared ascending value axis, as cumulative counts.
 * A bootstrap resample of repetitions is a vector of weights (how often each repetition was drawn); the
 * merged histogram of that resample is the weighted sum of the parts, and since every part's cumulative
 * count is non-decreasing along the axis, so is the weighted sum: a percentile is found by binary search
 * in O(parts x log buckets) without building any histogram.
 */
export interface HistogramStack {
  /** Distinct bucket values over all parts, ascending, microseconds. */
  valuesUs: number[];
  /** cumulative[part][i]: how many values of the part are <= valuesUs[i]. */
  cumulative: Float64Array[];
  /** Total count per part. */
  totals: number[];
}

export function stackHistograms(parts: readonly Histogram[]): HistogramStack {
  const bucketsPerPart = parts.map(histogramBuckets);
  const values = [...new Set(bucketsPerPart.flatMap((b) => b.map((x) => x.valueUs)))].sort((a, b) => a - b);
  const indexOf = new Map(values.map((v, i) => [v, i]));
  const cumulative = bucketsPerPart.map((buckets) => {
    const row = new Float64Array(values.length);
    for (const b of buckets) {
      const i = indexOf.get(b.valueUs) ?? 0;
      row[i] = (row[i] ?? 0) + b.count;
    }
    for (let i = 1; i < row.length; i++) row[i] = (row[i] ?? 0) + (row[i - 1] ?? 0);
    return row;
  });
  const totals = bucketsPerPart.map((buckets) => buckets.reduce((s, b) => s + b.count, 0));
  return { valuesUs: values, cumulative, totals };
}

/** Same as hdr-histogram-js's ulp(): the gap between x and the next larger double. */
function ulp(x: number): number {
  return x === 0 ? 0 : Math.pow(2, Math.floor(Math.log2(Math.abs(x))) - 52);
}

function weightedCumulative(stack: HistogramStack, weights: readonly number[], i: number): number {
  let s = 0;
  for (let r = 0; r < weights.length; r++) {
    const w = weights[r] ?? 0;
    if (w !== 0) s += w * (stack.cumulative[r]?.[i] ?? 0);
  }
  return s;
}

/**
 * Percentiles (0..100], microseconds, of the weighted merge sum_r weights[r] x part_r. Uses HdrHistogram's
 * rule (JsHistogram.getValueAtPercentile): the first bucket whose cumulative count reaches
 * max(ceil(p/100 x total), 1), so with all weights 1 this equals the percentile of the merged histogram.
 * Returns 0 for every percentile when the weighted total is 0, as percentileMicros() does.
 */
export function weightedPercentilesUs(
  stack: HistogramStack,
  weights: readonly number[],
  percentiles: readonly number[],
): number[] {
  if (weights.length !== stack.cumulative.length)
    throw new Error('one weight per stacked histogram is needed');
  let total = 0;
  for (let r = 0; r < weights.length; r++) total += (weights[r] ?? 0) * (stack.totals[r] ?? 0);
  if (total === 0) return percentiles.map(() => 0);
  return percentiles.map((p) => {
    const fp = (Math.min(p, 100) / 100) * total;
    const target = Math.max(Math.ceil(fp - ulp(fp)), 1);
    let lo = 0;
    let hi = stack.valuesUs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (weightedCumulative(stack, weights, mid) >= target) hi = mid;
      else lo = mid + 1;
    }
    return stack.valuesUs[lo] ?? 0;
  });
}
