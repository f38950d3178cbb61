import { studentTTwoSidedP } from './student-t.js';
import { sampleStddev, mean } from './summary.js';

export interface WelchResult {
  method: 'welch-t';
  /** mean(a) - mean(b). */
  meanDifference: number;
  /** Null when both variances are 0 (t would be infinite; null keeps the result JSON-safe). */
  t: number | null;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided. */
  pValue: number;
}

/** What Welch's test needs of a series: a Spread from stats/summary.ts fits. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1). */
  stddev: number | null;
}

/**
 * Welch's unequal-variances t-test of mean(a) = mean(b), two-sided (Welch 1947), from summaries: lets
 * `compare` test figures of two runs stored only as Spreads. Null when either side has fewer than two
 * values. When both variances are 0 the test degenerates: equal means give p = 1, different means p = 0.
 */
export function welchTTestFromSummaries(a: SampleSummary, b: SampleSummary): WelchResult | null {
  if (a.n < 2 || b.n < 2 || a.stddev === null || b.stddev === null) return null;
  const diff = a.mean - b.mean;
  const va = (a.stddev * a.stddev) / a.n;
  const vb = (b.stddev * b.stddev) / b.n;
  const se2 = va + vb;
  if (se2 === 0) {
    return {
      method: 'welch-t',
      meanDifference: diff,
      t: diff === 0 ? 0 : null,
      df: a.n + b.n - 2,
      pValue: diff === 0 ? 1 : 0,
    };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { method: 'welch-t', meanDifference: diff, t, df, pValue: studentTTwoSidedP(t, df) };
}

function summarise(xs: readonly number[]): SampleSummary {
  return { n: xs.length, mean: xs.length > 0 ? mean(xs) : 0, stddev: sampleStddev(xs) };
}

/**
 * Welch's t-test on two series. Chosen over a permutation test for per-repetition figures because with 3
 * repetitions a side an exact permutation test cannot go below p = 0.1 (2 of the C(6,3) = 20 splits), so it
 * could never call anything significant.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult | null {
  return welchTTestFromSummaries(summarise(a), summarise(b));
}
