import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

const oneTier = [{ name: 'low' }];

describe('noise floor', () => {
  it('identical repetitions: 0 at every percentile', () => {
    const results = syntheticResults({
      modes: ['baseline'],
      tiers: oneTier,
      latency: { kind: 'values', valuesUs: [900, 1000, 1000, 1100, 1500, 4000] },
    });
    const [n] = analyze(results).noiseFloor;
    expect(n?.repetitions).toBe(3);
    for (const key of ['p50', 'p99'] as const) {
      expect(n?.byPercentile[key]).toEqual({ rangeMs: 0, stddevMs: 0, ciHalfWidthMs: 0 });
    }
  });

  it('hand-checked: repetitions at 1.0, 1.1 and 1.3 ms', () => {
    // Values below 2048 us are exact in the histogram. Range 0.3 ms; sample sd of [1, 1.1, 1.3] =
    // sqrt(0.046667 / 2) = 0.152753. Bootstrap of merged p50: the resamples {rep1 x3} and {rep3 x3} each
    // have probability 1/27 (3.7%) > 2.5%, so the 95% interval is exactly [1.0, 1.3]: half-width 0.15.
    const values = [1000, 1100, 1300];
    const results = syntheticResults({
      modes: ['baseline'],
      tiers: oneTier,
      latency: (c) => ({ kind: 'constant', valueUs: values[c.repetition - 1]!, count: 100 }),
    });
    const p50 = analyze(results).noiseFloor[0]!.byPercentile.p50;
    expect(p50.rangeMs).toBeCloseTo(0.3, 12);
    expect(p50.stddevMs).toBeCloseTo(0.152753, 6);
    expect(p50.ciHalfWidthMs).toBeCloseTo(0.15, 12);
  });

  it('a single baseline repetition shows no noise: null, not 0', () => {
    const results = syntheticResults({ modes: ['baseline'], tiers: oneTier, repetitions: 1 });
    expect(analyze(results).noiseFloor[0]!.byPercentile.p99).toEqual({
      rangeMs: null,
      stddevMs: null,
      ciHalfWidthMs: null,
    });
  });
});
