import { bootstrapIntervals, excludesZero } from '../stats/bootstrap.js';
import { OVERHEAD_PERCENTILE_KEYS, percentileOf, type OverheadPercentileKey } from '../stats/percentiles.js';
import { mulberry32 } from '../stats/prng.js';
import { weightedPercentilesUs } from '../stats/weighted-histograms.js';
import { welchTTest } from '../stats/welch.js';
import type { LatencySample } from './latency.js';
import type { AnalysisOptions, OverheadEstimate } from './types.js';

const PERCENTILES = OVERHEAD_PERCENTILE_KEYS.map(percentileOf);

/**
 * Overhead of a mode over baseline at one tier, at p50/p90/p99/p99.9.
 *
 * Point estimate: percentile of the mode's merged histogram minus baseline's (merged over ok repetitions).
 *
 * Interval: stratified bootstrap over REPETITIONS (the independent units; requests within a repetition
 * share its drift and are not independent), resampling the mode's and baseline's repetitions separately with
 * replacement, MERGING each resample's histograms and taking the difference of the merged percentiles.
 * Merged rather than the mean of per-repetition percentiles because (1) the interval is then of the very
 * statistic the point estimate is, so it brackets it; (2) tail percentiles of one repetition are biased low
 * when a repetition holds few values (a 15 s tier at 50 RPS has 750, so its p99.9 is its maximum), while the
 * merged histogram uses every value. Percentile interval at opts.confidence.
 *
 * With three repetitions a side only C(5,3) = 10 distinct resamples exist per side, so the interval is
 * coarse and tends to be narrow; the Welch test on per-repetition percentiles is a second opinion
 * (see stats/welch.ts), and the noise floor a third.
 */
export function estimateOverhead(
  mode: LatencySample,
  baseline: LatencySample,
  opts: AnalysisOptions,
  seed: number,
): Record<OverheadPercentileKey, OverheadEstimate> {
  const nMode = mode.repetitions.length;
  const nBase = baseline.repetitions.length;
  const canResample = nMode >= 2 && nBase >= 2;
  const intervals = canResample
    ? bootstrapIntervals(
        [nMode, nBase],
        ([wm = [], wb = []]) => {
          const m = weightedPercentilesUs(mode.stack, wm, PERCENTILES);
          const b = weightedPercentilesUs(baseline.stack, wb, PERCENTILES);
          return m.map((v, i) => (v - (b[i] ?? 0)) / 1000);
        },
        { iterations: opts.bootstrapIterations, confidence: opts.confidence, rng: mulberry32(seed) },
      )
    : null;
  const out = {} as Record<OverheadPercentileKey, OverheadEstimate>;
  OVERHEAD_PERCENTILE_KEYS.forEach((key, i) => {
    const modeMs = mode.mergedMs[key];
    const baselineMs = baseline.mergedMs[key];
    const interval = intervals?.[i];
    out[key] = {
      pointMs: modeMs - baselineMs,
      relative: baselineMs === 0 ? null : (modeMs - baselineMs) / baselineMs,
      baselineMs,
      modeMs,
      ci: interval
        ? {
            lowMs: interval.low,
            highMs: interval.high,
            level: opts.confidence,
            method: 'bootstrap-repetitions-percentile',
            iterations: opts.bootstrapIterations,
          }
        : null,
      ciUnavailable: interval ? null : 'single-repetition',
      distinguishable: interval ? excludesZero(interval) : false,
      test: welchTTest(mode.perRepetitionMs[key], baseline.perRepetitionMs[key]),
    };
  });
  return out;
}
