import { describe, expect, it } from 'vitest';
import type { DifferenceInterval } from '../../src/compare/types.js';
import { exceeds, judge, relativeChange, type JudgeInput } from '../../src/compare/verdict.js';

const ci = (low: number, high: number): DifferenceInterval => ({
  low,
  high,
  level: 0.95,
  method: 'welch-t',
  df: 4,
  pValue: 0.01,
});
/** p99 added defaults: more than 10% AND more than 0.2 ms. */
const limit = { relative: 0.1, absolute: 0.2 };

function input(over: Partial<JudgeInput>): JudgeInput {
  return { baseline: 2, change: 0.5, interval: ci(0.4, 0.6), noise: 0.05, limit, ...over };
}

describe('judge: threshold edges (relative AND absolute must both be exceeded)', () => {
  it.each([
    // [case, baseline, candidate, verdict/reason]
    ['exactly at both thresholds (2.0 -> 2.2 ms: +10%, +0.2 ms)', 2.0, 2.2, 'below-threshold'],
    ['just above both (2.0 -> 2.2001 ms)', 2.0, 2.2001, 'regression'],
    [
      'exactly at the absolute, above the relative (1.0 -> 1.2 ms: +20%, +0.2 ms)',
      1.0,
      1.2,
      'below-threshold',
    ],
    [
      'exactly at the relative, above the absolute (5.0 -> 5.5 ms: +10%, +0.5 ms)',
      5.0,
      5.5,
      'below-threshold',
    ],
    ['above the relative only (1.0 -> 1.15 ms: +15%, +0.15 ms)', 1.0, 1.15, 'below-threshold'],
    ['above the absolute only (5.0 -> 5.3 ms: +6%, +0.3 ms)', 5.0, 5.3, 'below-threshold'],
    ['well above both (1.0 -> 1.5 ms)', 1.0, 1.5, 'regression'],
    ['just above both, downwards (2.0 -> 1.7999 ms)', 2.0, 1.7999, 'improvement'],
    ['exactly at both, downwards (2.0 -> 1.8 ms)', 2.0, 1.8, 'below-threshold'],
  ])('%s', (_, baseline, candidate, reason) => {
    const change = candidate - baseline;
    const j = judge(input({ baseline, change, interval: ci(change - 0.01, change + 0.01), noise: 0 }));
    expect(j.reason).toBe(reason);
    expect(j.verdict).toBe(reason === 'below-threshold' ? 'unchanged' : reason);
    expect(j.judged).toBe(true);
  });

  it('a change from 0 is infinitely large relatively and is judged on the absolute threshold', () => {
    expect(relativeChange(0, 0.3)).toBe(Infinity);
    expect(judge(input({ baseline: 0, change: 0.3, interval: ci(0.25, 0.35), noise: 0 })).verdict).toBe(
      'regression',
    );
    expect(judge(input({ baseline: 0, change: 0.2, interval: ci(0.15, 0.25), noise: 0 })).reason).toBe(
      'below-threshold',
    );
  });

  it('the relative change is taken against the size of a negative baseline figure', () => {
    // Latency added can be slightly negative (noise): -0.5 -> 0 ms is +100% of 0.5 ms.
    expect(relativeChange(-0.5, 0.5)).toBe(1);
  });

  it('exceeds() treats one part in 1e9 as equal, and anything clearly larger as larger', () => {
    expect(exceeds(0.2 + 1e-12, 0.2)).toBe(false);
    expect(exceeds(0.2 * (1 + 1e-6), 0.2)).toBe(true);
    expect(exceeds(1e-15, 0)).toBe(true);
    expect(exceeds(0, 0)).toBe(false);
  });
});

describe('judge: statistics and noise gates', () => {
  it('an interval that includes 0 is not a regression, however large the change', () => {
    expect(judge(input({ change: 1, interval: ci(-0.1, 2.1) }))).toEqual({
      verdict: 'unchanged',
      judged: true,
      reason: 'not-significant',
    });
  });

  it('a change within the noise of either run is never a regression', () => {
    expect(judge(input({ change: 0.5, noise: 0.6 })).reason).toBe('within-noise');
    expect(judge(input({ change: 0.5, noise: 0.5 })).reason).toBe('within-noise');
    expect(judge(input({ change: 0.5, noise: 0.49 })).reason).toBe('regression');
  });

  it('a change that does not survive the multiple-testing correction is unchanged', () => {
    expect(judge(input({ discovery: false })).reason).toBe('multiple-testing');
    expect(judge(input({ discovery: true })).reason).toBe('regression');
  });

  it('without an interval (one repetition) nothing is judged', () => {
    expect(judge(input({ interval: null, noise: null }))).toEqual({
      verdict: 'unchanged',
      judged: false,
      reason: 'no-interval',
    });
  });

  it('the direction of the interval must match the direction of the change', () => {
    expect(judge(input({ change: -0.5, interval: ci(-0.6, -0.4) })).verdict).toBe('improvement');
    expect(judge(input({ change: -0.5, interval: ci(-0.6, 0.1) })).reason).toBe('not-significant');
  });
});
