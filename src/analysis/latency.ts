import { decodeHistogram, mergeHistograms } from '../stats/histogram.js';
import { latencyPercentilesMs, PERCENTILE_KEYS, type PercentileKey } from '../stats/percentiles.js';
import { spread, type Spread } from '../stats/summary.js';
import { stackHistograms, type HistogramStack } from '../stats/weighted-histograms.js';
import type { OkCell } from './cells.js';
import type { LatencyAnalysis, LatencyPercentilesMs } from './types.js';

/** The latency of one mode x tier in the forms the estimators need (histograms decoded once). */
export interface LatencySample {
  repetitions: number[];
  /** One stacked histogram per ok repetition, for bootstrap resampling. */
  stack: HistogramStack;
  mergedMs: LatencyPercentilesMs;
  /** perRepetitionMs[key][i]: percentile key of repetition repetitions[i]. */
  perRepetitionMs: Record<PercentileKey, number[]>;
  /** counts[i]: values recorded in repetition repetitions[i]. */
  counts: number[];
}

export function latencySample(
  cells: readonly OkCell[],
): { sample: LatencySample; analysis: LatencyAnalysis } | null {
  if (cells.length === 0) return null;
  const histograms = cells.map((c) => decodeHistogram(c.latency.histogram));
  const merged = mergeHistograms(histograms);
  const perRep = histograms.map(latencyPercentilesMs);
  const perRepetitionMs = {} as Record<PercentileKey, number[]>;
  const spreadMs = {} as Record<PercentileKey, Spread>;
  for (const key of PERCENTILE_KEYS) {
    perRepetitionMs[key] = perRep.map((p) => p[key]);
    spreadMs[key] = spread(perRepetitionMs[key]);
  }
  const serviceParts = cells.map((c) => c.latency.serviceHistogram);
  const serviceTimeMs = serviceParts.every((s) => s !== undefined)
    ? latencyPercentilesMs(mergeHistograms(serviceParts.map((s) => decodeHistogram(s))))
    : null;
  const mergedMs = latencyPercentilesMs(merged);
  const analysis: LatencyAnalysis = {
    coordinatedOmissionCorrected: cells.every((c) => c.latency.coordinatedOmissionCorrected),
    count: merged.totalCount,
    mergedMs,
    meanMs: merged.totalCount === 0 ? 0 : merged.mean / 1000,
    serviceTimeMs,
    perRepetition: cells.map((c, i) => ({
      repetition: c.repetition,
      count: histograms[i]?.totalCount ?? 0,
      percentilesMs: perRep[i] ?? mergedMs,
    })),
    spreadMs,
  };
  return {
    sample: {
      repetitions: cells.map((c) => c.repetition),
      stack: stackHistograms(histograms),
      mergedMs,
      perRepetitionMs,
      counts: histograms.map((h) => h.totalCount),
    },
    analysis,
  };
}
