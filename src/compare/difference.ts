import { studentTTwoSidedP } from '../stats/student-t.js';
import { welchTTestFromSummaries } from '../stats/welch.js';
import { studentTCritical } from './student-t-quantile.js';
import type { DifferenceInterval, RepetitionSummary } from './types.js';

/**
 * Interval on a change between two runs: Welch's t-interval (Welch 1947) from each run's per-repetition
 * summary, centred on the headline difference.
 *
 * Why Welch on repetitions and not a bootstrap: repetitions are the independent units (requests within one
 * share its drift), and nightly runs have few of them. With 3 a side a bootstrap has only C(5,3) = 10
 * distinct resamples per side and its percentile interval comes out too narrow, so it would call noise a
 * regression; Student's t with the Welch-Satterthwaite degrees of freedom (2 to 4 here) widens the interval
 * by exactly the uncertainty that few repetitions leave. The runs may have different repetition counts and
 * variances.
 *
 * Why centred on the headline difference: the headline figures are those of the reports (percentiles of the
 * merged histogram), so the interval brackets the very change the reader sees; its half-width comes from the
 * standard error of the per-repetition means, which is what varies between re-runs. For p50 and p99 the
 * merged percentile and the mean of per-repetition percentiles agree closely; where they do not (p99.9 of a
 * short repetition, biased low), both runs carry the same bias and it cancels in the difference.
 *
 * Null when either run has fewer than two repetitions (no variance, so no interval).
 */
export function differenceInterval(
  change: number,
  baseline: RepetitionSummary | null,
  candidate: RepetitionSummary | null,
  confidence: number,
): DifferenceInterval | null {
  if (!baseline || !candidate) return null;
  const test = welchTTestFromSummaries(candidate, baseline);
  if (!test || candidate.stddev === null || baseline.stddev === null) return null;
  const se = Math.sqrt(candidate.stddev ** 2 / candidate.n + baseline.stddev ** 2 / baseline.n);
  const half = se === 0 ? 0 : studentTCritical(test.df, confidence) * se;
  // The p-value of the very change shown (t = change / se), so that "the interval excludes 0" and
  // "p < 1 - confidence" always agree. Both variances 0: any change is certain, none is p = 1.
  const pValue = se === 0 ? (change === 0 ? 1 : 0) : studentTTwoSidedP(change / se, test.df);
  return {
    low: change - half,
    high: change + half,
    level: confidence,
    method: 'welch-t',
    df: test.df,
    pValue,
  };
}
