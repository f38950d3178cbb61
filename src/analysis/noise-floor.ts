import { bootstrapIntervals } from '../stats/bootstrap.js';
import { OVERHEAD_PERCENTILE_KEYS, percentileOf, type OverheadPercentileKey } from '../stats/percentiles.js';
import { mulberry32 } from '../stats/prng.js';
import { shiftEstimate } from '../stats/shift.js';
import { sampleStddev } from '../stats/summary.js';
import { weightedPercentilesUs } from '../stats/weighted-histograms.js';
import type { LatencySample } from './latency.js';
import { shiftApplies } from './overhead.js';
import type { AnalysisOptions, NoiseFloorEstimate } from './types.js';

const PERCENTILES = OVERHEAD_PERCENTILE_KEYS.map(percentileOf);

/**
 * How much baseline moves between its own repetitions at one tier. rangeMs (max - min of per-repetition
 * percentiles) is the headline: a mode that adds less than that cannot be told apart from a re-run of
 * baseline. ciHalfWidthMs is the half-width of the interval the overhead of a mode identical to baseline
 * would get, by the same method the overhead intervals use at that percentile (analysis/overhead.ts): the
 * Mann-Whitney interval of baseline's repetitions against themselves (symmetric about 0) where the shift
 * method applies, else the bootstrap interval of baseline's merged percentile. All null with a single
 * repetition: one run shows no noise.
 */
export function estimateNoiseFloor(
  baseline: LatencySample,
  opts: AnalysisOptions,
  seed: number,
): Record<OverheadPercentileKey, NoiseFloorEstimate> {
  const n = baseline.repetitions.length;
  const intervals =
    n >= 2
      ? bootstrapIntervals(
          [n],
          ([w = []]) => weightedPercentilesUs(baseline.stack, w, PERCENTILES).map((v) => v / 1000),
          {
            iterations: opts.bootstrapIterations,
            confidence: opts.confidence,
            rng: mulberry32(seed),
          },
        )
      : null;
  const out = {} as Record<OverheadPercentileKey, NoiseFloorEstimate>;
  OVERHEAD_PERCENTILE_KEYS.forEach((key, i) => {
    const values = baseline.perRepetitionMs[key];
    const self = shiftApplies(baseline, baseline, percentileOf(key), opts)
      ? shiftEstimate(values, values, opts.confidence).interval
      : null;
    const interval = self ?? intervals?.[i];
    out[key] = {
      rangeMs: n >= 2 ? Math.max(...values) - Math.min(...values) : null,
      stddevMs: sampleStddev(values),
      ciHalfWidthMs: interval ? (interval.high - interval.low) / 2 : null,
    };
  });
  return out;
}
