import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, randomInt } from '../../src/stats/prng.js';
import { mean, p95, quantile, sampleStddev, spread, spreadOrNull } from '../../src/stats/summary.js';

describe('summary statistics (hand-computed)', () => {
  it.each([
    // [values, q, expected]: type 7, h = (n - 1) q
    [[1, 2, 3, 4], 0.95, 3.85], // h = 2.85 -> 3 + 0.85 x (4 - 3)
    [[1, 2, 3, 4], 0.5, 2.5], // h = 1.5
    [[4, 1, 3, 2], 0, 1], // unsorted input
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.95, 95.5], // h = 8.55 -> 90 + 0.55 x 10
    [[7], 0.95, 7],
  ])('quantile(%j, %d) = %d', (values, q, expected) => {
    expect(quantile(values, q)).toBeCloseTo(expected, 12);
  });

  it('p95 is the 0.95 quantile', () => {
    expect(p95([1, 2, 3, 4])).toBeCloseTo(3.85, 12);
  });

  it('mean and sample standard deviation', () => {
    // mean 5; squared deviations 9,1,1,1,0,0,4,16 sum 32; /(8-1) -> sqrt(32/7)
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sampleStddev(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStddev([3])).toBeNull();
  });

  it('spread gives n, mean, min, max and stddev; null stddev for one value', () => {
    expect(spread([1, 3])).toEqual({ n: 2, mean: 2, min: 1, max: 3, stddev: Math.SQRT2 });
    expect(spread([5])).toEqual({ n: 1, mean: 5, min: 5, max: 5, stddev: null });
    expect(spreadOrNull([])).toBeNull();
    expect(() => spread([])).toThrow();
  });
});

describe('seeded PRNG', () => {
  it('mulberry32 is deterministic per seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(xa);
    for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('randomInt covers [0, n) roughly uniformly', () => {
    const rng = mulberry32(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[randomInt(rng, 3)]! += 1;
    // Expected 10,000 each; binomial sd ~82, so +-500 is > 6 sd: a failure means a real bias.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('deriveSeed is stable and separates parts', () => {
    expect(deriveSeed(1, 'istio-sidecar', 'low')).toBe(deriveSeed(1, 'istio-sidecar', 'low'));
    expect(deriveSeed(1, 'istio-sidecar', 'low')).not.toBe(deriveSeed(2, 'istio-sidecar', 'low'));
    expect(deriveSeed(1, 'ab', 'c')).not.toBe(deriveSeed(1, 'a', 'bc'));
  });
});
