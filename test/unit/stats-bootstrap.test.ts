import { describe, expect, it } from 'vitest';
import {
  bootstrapIntervals,
  bootstrapMeanDifference,
  excludesZero,
  percentileInterval,
  resampleWeights,
} from '../../src/stats/bootstrap.js';
import { mulberry32, randomNormal } from '../../src/stats/prng.js';

const opts = (seed = 1, iterations = 2000) => ({ iterations, confidence: 0.95, rng: mulberry32(seed) });

describe('bootstrap', () => {
  it('resampleWeights draws n with replacement', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 100; i++) {
      const w = resampleWeights(rng, 4);
      expect(w).toHaveLength(4);
      expect(w.reduce((a, b) => a + b, 0)).toBe(4);
    }
  });

  it('percentileInterval takes the 2.5% and 97.5% quantiles (type 7), hand-checked', () => {
    // 0..100: h = 100 x 0.025 = 2.5 -> 2.5; h = 97.5 -> 97.5
    const xs = Array.from({ length: 101 }, (_, i) => i);
    const ci = percentileInterval(xs, 0.95);
    // (1 - 0.95) / 2 is 0.025000000000000022 in binary floating point, hence closeness, not equality.
    expect(ci.low).toBeCloseTo(2.5, 12);
    expect(ci.high).toBeCloseTo(97.5, 12);
    expect(() => percentileInterval(xs, 1)).toThrow();
  });

  it('tiny input, hand-checked: a = [1, 3], b = [0]', () => {
    // mean of a resample of a is 1 (p 1/4), 2 (p 1/2) or 3 (p 1/4); b is always 0. With 2000 resamples
    // about 500 are 1 and 500 are 3, so the 2.5% and 97.5% quantiles are exactly 1 and 3.
    expect(bootstrapMeanDifference([1, 3], [0], opts())).toEqual({ low: 1, high: 3 });
  });

  it('identical inputs: the interval contains 0', () => {
    const rng = mulberry32(11);
    const a = Array.from({ length: 5 }, () => 10 + 0.2 * randomNormal(rng));
    const ci = bootstrapMeanDifference(a, [...a], opts());
    expect(ci.low).toBeLessThanOrEqual(0);
    expect(ci.high).toBeGreaterThanOrEqual(0);
    expect(excludesZero(ci)).toBe(false);
  });

  it('a 5 ms shift with 0.1 ms noise: the interval excludes 0 and brackets 5', () => {
    const rng = mulberry32(12);
    const base = Array.from({ length: 5 }, () => 1 + 0.1 * randomNormal(rng));
    const shifted = Array.from({ length: 5 }, () => 6 + 0.1 * randomNormal(rng));
    const ci = bootstrapMeanDifference(shifted, base, opts());
    expect(excludesZero(ci)).toBe(true);
    // Noise sd 0.1 over 5 values: the difference of means has sd ~0.063, so the 95% interval is well within
    // +-0.5 of 5 (8 sd); it must also contain 5 for these draws (true difference).
    expect(ci.low).toBeGreaterThan(4.5);
    expect(ci.high).toBeLessThan(5.5);
  });

  it('is deterministic for a seed', () => {
    const a = [1, 2, 3, 4];
    const b = [2, 2, 5, 1];
    expect(bootstrapMeanDifference(a, b, opts(5))).toEqual(bootstrapMeanDifference(a, b, opts(5)));
  });

  it('bootstrapIntervals returns one interval per figure and calls the statistic once per iteration', () => {
    let calls = 0;
    const intervals = bootstrapIntervals(
      [3, 2],
      ([wa = [], wb = []]) => {
        calls++;
        return [wa.reduce((s, x) => s + x, 0), wb.reduce((s, x) => s + x, 0)];
      },
      opts(1, 50),
    );
    expect(calls).toBe(50);
    expect(intervals).toEqual([
      { low: 3, high: 3 },
      { low: 2, high: 2 },
    ]);
  });
});
