import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  histogramBuckets,
  mergeHistograms,
  percentileMicros,
  recordMicros,
  type Histogram,
} from '../../src/stats/histogram.js';
import { latencyPercentilesMs } from '../../src/stats/percentiles.js';
import { mulberry32 } from '../../src/stats/prng.js';
import { stackHistograms, weightedPercentilesUs } from '../../src/stats/weighted-histograms.js';

function histogramOf(values: readonly number[]): Histogram {
  const h = createHistogram();
  for (const v of values) recordMicros(h, v);
  return h;
}

// HDR histograms with 3 significant digits report a bucket's highest equivalent value: at most 0.1% above
// the recorded value (plus integer rounding), so percentiles are checked to 0.1% + 1 us.
const close = (actualUs: number, expectedUs: number) => {
  expect(Math.abs(actualUs - expectedUs)).toBeLessThanOrEqual(expectedUs * 0.001 + 1);
};

describe('latency percentiles', () => {
  it('1..1000 us: p50 = 500, p90 = 900, p99 = 990, p99.9 = p99.99 = max = 1000 (nearest rank)', () => {
    const p = latencyPercentilesMs(histogramOf(Array.from({ length: 1000 }, (_, i) => i + 1)));
    close(p.p50 * 1000, 500);
    close(p.p90 * 1000, 900);
    close(p.p99 * 1000, 990);
    close(p.p999 * 1000, 999);
    close(p.p9999 * 1000, 1000);
    close(p.max * 1000, 1000);
  });

  it('histogramBuckets lists non-empty buckets with their counts', () => {
    const b = histogramBuckets(histogramOf([100, 100, 200, 5000]));
    expect(b.map((x) => x.count)).toEqual([2, 1, 1]);
    expect(b.map((x) => x.valueUs)).toEqual([100, 200, 5003]); // 5000 falls in the 4-us bucket 5000..5003
  });
});

describe('weighted histogram stack (bootstrap merge)', () => {
  const rng = mulberry32(9);
  const parts = [0, 1, 2].map((k) =>
    histogramOf(Array.from({ length: 400 + 100 * k }, () => 500 + k * 300 + rng() * 2000)),
  );
  const ps = [50, 90, 99, 99.9, 100];

  it('with all weights 1 it equals the merged histogram exactly', () => {
    const merged = mergeHistograms(parts);
    expect(weightedPercentilesUs(stackHistograms(parts), [1, 1, 1], ps)).toEqual(
      ps.map((p) => percentileMicros(merged, p)),
    );
  });

  it('weight 2 equals merging a part twice, weight 0 leaves it out', () => {
    const [a, b, c] = parts as [Histogram, Histogram, Histogram];
    const stack = stackHistograms(parts);
    expect(weightedPercentilesUs(stack, [2, 0, 1], ps)).toEqual(
      ps.map((p) => percentileMicros(mergeHistograms([a, a, c]), p)),
    );
    expect(weightedPercentilesUs(stack, [0, 3, 0], ps)).toEqual(ps.map((p) => percentileMicros(b, p)));
  });

  it('tiny hand-checked case: {1000 x3} and {2000 x1}', () => {
    const stack = stackHistograms([histogramOf([1000, 1000, 1000]), histogramOf([2000])]);
    // Merged: 1000,1000,1000,2000: p50 -> rank 2 -> 1000; p75 -> rank 3 -> 1000; p76 -> rank ceil(3.04) = 4 -> 2000.
    expect(weightedPercentilesUs(stack, [1, 1], [50, 75, 76])).toEqual([1000, 1000, 2000]);
    // Weights [1, 3]: 1000 x3, 2000 x3: p50 -> rank 3 -> 1000; p51 -> rank 4 -> 2000.
    expect(weightedPercentilesUs(stack, [1, 3], [50, 51])).toEqual([1000, 2000]);
    expect(weightedPercentilesUs(stack, [0, 0], [50])).toEqual([0]);
  });
});
