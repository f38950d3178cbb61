import { bootstrapIntervals, excludesZero, type Interval } from '../stats/bootstrap.js';
import { OVERHEAD_PERCENTILE_KEYS, percentileOf, type OverheadPercentileKey } from '../stats/percentiles.js';
import { mulberry32 } from '../stats/prng.js';
import { shiftEstimate } from '../stats/shift.js';
import { weightedPercentilesUs } from '../stats/weighted-histograms.js';
import { welchTTest } from '../stats/welch.js';
import type { LatencySample } from './latency.js';
import type { AnalysisOptions, OverheadEstimate, OverheadMethod } from './types.js';

const PERCENTILES = OVERHEAD_PERCENTILE_KEYS.map(percentileOf);

/**
 * Overhead of a mode over baseline at one tier, at p50/p90/p99/p99.9. Repetitions are the independent units
 * (requests within one share its drift and its stalls), and two estimators are used:
 *
 * 1. Shift of per-repetition percentiles (when both sides have opts.shiftMinRepetitions and every repetition
 *    opts.shiftMinTailValues requests beyond the percentile): the Hodges-Lehmann median of the differences between each
 *    mode repetition's percentile and each baseline repetition's, with the distribution-free interval that
 *    inverts the Mann-Whitney test (stats/shift.ts). On this class of machine one repetition in several
 *    holds a stall of the whole VM that lifts its p99 tenfold; this interval is order statistics of the
 *    differences, so a stalled repetition or two on either side do not move it, where a bootstrap of merged
 *    histograms carries the stall into every resample that draws it. It answers "how much higher is the
 *    percentile of a typical measure window", which is what a regression gate wants.
 *
 * 2. Otherwise (few repetitions, as `--quick`, or a tail too thin per repetition, as p99.9): the merged
 *    percentile of the mode minus baseline's, with a stratified bootstrap over repetitions, each resample
 *    merging its histograms (so that the interval is of the same statistic as the point, and tail
 *    percentiles use every value rather than one repetition's few).
 *
 * The Welch test on per-repetition percentiles is given beside either as a second opinion (stats/welch.ts).
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
  const bootstrap = canResample
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
    const shift = shiftApplies(mode, baseline, percentileOf(key), opts)
      ? shiftEstimate(mode.perRepetitionMs[key], baseline.perRepetitionMs[key], opts.confidence)
      : null;
    const chosen: { pointMs: number; interval: Interval | undefined; method: OverheadMethod } =
      shift?.interval
        ? { pointMs: shift.point, interval: shift.interval, method: 'shift-repetitions-mann-whitney' }
        : {
            pointMs: modeMs - baselineMs,
            interval: bootstrap?.[i],
            method: 'bootstrap-repetitions-percentile',
          };
    const interval = chosen.interval;
    out[key] = {
      pointMs: chosen.pointMs,
      relative: baselineMs === 0 ? null : chosen.pointMs / baselineMs,
      baselineMs,
      modeMs,
      ci: interval
        ? {
            lowMs: interval.low,
            highMs: interval.high,
            level: opts.confidence,
            method: chosen.method,
            iterations: chosen.method === 'bootstrap-repetitions-percentile' ? opts.bootstrapIterations : 0,
          }
        : null,
      ciUnavailable: interval ? null : 'single-repetition',
      distinguishable: interval ? excludesZero(interval) : false,
      test: welchTTest(mode.perRepetitionMs[key], baseline.perRepetitionMs[key]),
    };
  });
  return out;
}

/** Whether both sides have enough repetitions, and every repetition enough values beyond `percentile`. */
export function shiftApplies(
  mode: LatencySample,
  baseline: LatencySample,
  percentile: number,
  opts: Pick<AnalysisOptions, 'shiftMinRepetitions' | 'shiftMinTailValues'>,
): boolean {
  const tailOk = (counts: readonly number[]): boolean =>
    counts.every((n) => Math.round(n * (1 - percentile / 100)) >= opts.shiftMinTailValues);
  return (
    mode.repetitions.length >= opts.shiftMinRepetitions &&
    baseline.repetitions.length >= opts.shiftMinRepetitions &&
    tailOk(mode.counts) &&
    tailOk(baseline.counts)
  );
}
