import { bootstrapIntervals } from '../stats/bootstrap.js';
import { OVERHEAD_PERCENTILE_KEYS, percentileOf, type OverheadPercentileKey } from '../stats/percentiles.js';
import { mulberry32 } from '../stats/prng.js';
import { sampleStddev } from '../stats/summary.js';
import { weightedPercentilesUs } from '../stats/weighted-histograms.js';
import type { LatencySample } from './latency.js';
import type { AnalysisOptions, NoiseFloorEstimate } from './types.js';

const PERCENTILES = OVERHEAD_PERCENTILE_KEYS.map(percentileOf);

/**
 * How much baseline moves between its own repetitions at one tier. rangeMs (max - min of per-repetition
 * percentiles) is the headline: a mode that adds less than that cannot be told apart from a re-run of
 * baseline. ciHalfWidthMs is the half-width of the bootstrap interval of baseline's merged percentile, the
 * same resampling the overhead intervals use. All null with a single repetition: one run shows no noise.
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
    const interval = intervals?.[i];
    out[key] = {
      rangeMs: n >= 2 ? Math.max(...values) - Math.min(...values) : null,
      stddevMs: sampleStddev(values),
      ciHalfWidthMs: interval ? (interval.high - interval.low) / 2 : null,
    };
  });
  return out;
}
