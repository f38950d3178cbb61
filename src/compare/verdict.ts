import type { Limit } from './thresholds.js';
import type { DifferenceInterval, Verdict, VerdictReason } from './types.js';

export interface JudgeInput {
  /** The baseline run's figure. */
  baseline: number;
  /** candidate - baseline. */
  change: number;
  interval: DifferenceInterval | null;
  /** The larger of both runs' noise; null when a run has a single repetition. */
  noise: number | null;
  limit: Limit;
  /** Whether the change survives the correction for the number of metrics compared (default true). */
  discovery?: boolean;
}

export interface Judgement {
  verdict: Verdict;
  judged: boolean;
  reason: VerdictReason;
}

/**
 * Binary floating point makes "exactly at the threshold" land a hair above or below it (2.2 - 2.0 =
 * 0.20000000000000018): a change within one part in 10^9 of a threshold counts as AT it, i.e. not over it.
 */
const REL_TOLERANCE = 1e-9;

/** Whether x is strictly greater than limit, with the tolerance above. */
export function exceeds(x: number, limit: number): boolean {
  if (!Number.isFinite(x)) return x > limit; // a relative change from 0 is +Infinity
  return x > limit + REL_TOLERANCE * Math.max(Math.abs(limit), Math.abs(x), 1e-12);
}

/** change / |baseline|: +Infinity / -Infinity for a change from 0, 0 for no change. */
export function relativeChange(baseline: number, change: number): number {
  if (change === 0) return 0;
  if (baseline === 0) return change > 0 ? Infinity : -Infinity;
  return change / Math.abs(baseline);
}

/**
 * Every metric compared is lower-is-better. A change is a regression only when it clears every gate:
 * 1. it is larger than BOTH thresholds, relative (to the baseline run's figure) and absolute;
 * 2. the interval on the difference lies entirely above 0 (statistically distinguishable), and the change
 *    stays significant once corrected for the number of metrics compared (Benjamini-Hochberg);
 * 3. it is larger than the noise of either run (the spread between its own repetitions): a change a run
 *    could show against itself is never called a regression, however narrow the interval.
 * An improvement is the mirror image. Anything else is unchanged, with the first gate that held it back.
 * Without an interval (a run with a single repetition) nothing can be told from noise: not judged.
 */
export function judge(input: JudgeInput): Judgement {
  const { change, interval, noise, limit } = input;
  if (!interval || noise === null) return { verdict: 'unchanged', judged: false, reason: 'no-interval' };
  const rel = relativeChange(input.baseline, change);
  const size = Math.abs(change);
  if (!(exceeds(size, limit.absolute) && exceeds(Math.abs(rel), limit.relative))) {
    return { verdict: 'unchanged', judged: true, reason: 'below-threshold' };
  }
  const worse = change > 0;
  const significant = worse ? interval.low > 0 : interval.high < 0;
  if (!significant) return { verdict: 'unchanged', judged: true, reason: 'not-significant' };
  if (input.discovery === false) return { verdict: 'unchanged', judged: true, reason: 'multiple-testing' };
  if (!exceeds(size, noise)) return { verdict: 'unchanged', judged: true, reason: 'within-noise' };
  return worse
    ? { verdict: 'regression', judged: true, reason: 'regression' }
    : { verdict: 'improvement', judged: true, reason: 'improvement' };
}
