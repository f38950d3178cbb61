import type { Limit } from '../compare/thresholds.js';
import { exceeds, relativeChange } from '../compare/verdict.js';
import { quantile } from '../stats/summary.js';
import { welchTTestFromSummaries } from '../stats/welch.js';

export interface StepOptions {
  /** Nights compared on each side of a candidate step. */
  window: number;
  /** Fewest nights a side needs: a step is marked once this many nights at the new level exist. */
  minWindow: number;
  /** Two-sided p-value a step must beat (Welch's t of the two windows). */
  alpha: number;
  /** The step must also clear the metric's compare thresholds (relative to the level before, and absolute). */
  limit: Limit;
}

/**
 * Defaults: windows of 5 nights (a working week) with at least 3 a side; alpha 0.01 rather than 0.05 because
 * every night of a long series is tested, and neighbouring tests share most of their nights.
 */
export const DEFAULT_STEP_OPTIONS: Omit<StepOptions, 'limit'> = { window: 5, minWindow: 3, alpha: 0.01 };

export interface Step {
  /** Index of the first night at the new level. */
  index: number;
  before: number;
  after: number;
  /** after - before. */
  change: number;
  /** change / |before|; null when before is 0. */
  relativeChange: number | null;
  pValue: number;
  direction: 'up' | 'down';
}

function summary(xs: readonly number[]) {
  const n = xs.length;
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const stddev = n < 2 ? null : Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, stddev };
}

/** The median (type-7 quantile 0.5: the mean of the middle two for an even count); null for none. */
function median(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : quantile(xs, 0.5);
}

/**
 * Steps in a night-by-night series: a simple two-window detector.
 *
 * At every night i, compare the `window` nights before i with the `window` nights from i on (at least
 * `minWindow` each). Night i starts a new level when all of these hold:
 * 1. the two windows' means differ by Welch's t-test at p < alpha: the step stands out from the
 *    night-to-night scatter;
 * 2. the difference clears the metric's thresholds, relative and absolute, as in `compare`;
 * 3. the difference is larger than the typical noise within one run (the median over the windows' nights of
 *    each run's spread between its own repetitions), so a step smaller than what one run shows against
 *    itself is never marked.
 * Neighbouring nights around a true step pass too, with less contrast: of candidates closer than `window`
 * to each other only the one with the smallest p-value is kept (non-maximum suppression).
 *
 * Consequences: a step shows once `minWindow` nights at the new level exist (tonight's single bad night is
 * `compare`'s job); a one-night spike raises one window's scatter more than its mean and is not a step.
 */
export function detectSteps(
  values: readonly number[],
  noise: readonly (number | null)[],
  opts: StepOptions,
): Step[] {
  const { window, minWindow, alpha, limit } = opts;
  if (!(minWindow >= 2 && window >= minWindow)) throw new Error('need window >= minWindow >= 2');
  const candidates: Step[] = [];
  for (let i = minWindow; i + minWindow <= values.length; i++) {
    const beforeValues = values.slice(Math.max(0, i - window), i);
    const afterValues = values.slice(i, i + window);
    const before = summary(beforeValues);
    const after = summary(afterValues);
    const test = welchTTestFromSummaries(after, before);
    if (!test || !(test.pValue < alpha)) continue;
    const change = after.mean - before.mean;
    const rel = relativeChange(before.mean, change);
    if (!(exceeds(Math.abs(change), limit.absolute) && exceeds(Math.abs(rel), limit.relative))) continue;
    const windowNoise = median(
      noise.slice(Math.max(0, i - window), i + window).filter((x): x is number => x !== null),
    );
    if (windowNoise !== null && !exceeds(Math.abs(change), windowNoise)) continue;
    candidates.push({
      index: i,
      before: before.mean,
      after: after.mean,
      change,
      relativeChange: Number.isFinite(rel) ? rel : null,
      pValue: test.pValue,
      direction: change > 0 ? 'up' : 'down',
    });
  }
  const kept: Step[] = [];
  for (const c of [...candidates].sort(
    (a, b) => a.pValue - b.pValue || Math.abs(b.change) - Math.abs(a.change) || a.index - b.index,
  )) {
    if (kept.every((k) => Math.abs(k.index - c.index) >= window)) kept.push(c);
  }
  return kept.sort((a, b) => a.index - b.index);
}
