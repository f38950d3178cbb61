import { percentileMicros, type Histogram } from './histogram.js';

/**
 * The latency percentiles every report shows. Keys avoid dots ("p999" for p99.9) so that they are valid
 * field names in Vega-Lite, where a dot means a nested field.
 */
export const LATENCY_PERCENTILES = [
  { key: 'p50', percentile: 50, label: 'p50' },
  { key: 'p90', percentile: 90, label: 'p90' },
  { key: 'p99', percentile: 99, label: 'p99' },
  { key: 'p999', percentile: 99.9, label: 'p99.9' },
  { key: 'p9999', percentile: 99.99, label: 'p99.99' },
  { key: 'max', percentile: 100, label: 'max' },
] as const;

export type PercentileKey = (typeof LATENCY_PERCENTILES)[number]['key'];
export const PERCENTILE_KEYS: readonly PercentileKey[] = LATENCY_PERCENTILES.map((p) => p.key);

/** The percentiles overhead is estimated at: beyond p99.9 a few repetitions do not hold enough samples. */
export const OVERHEAD_PERCENTILE_KEYS = ['p50', 'p90', 'p99', 'p999'] as const;
export type OverheadPercentileKey = (typeof OVERHEAD_PERCENTILE_KEYS)[number];

export function percentileOf(key: PercentileKey): number {
  const found = LATENCY_PERCENTILES.find((p) => p.key === key);
  if (!found) throw new Error(`unknown percentile key ${key}`);
  return found.percentile;
}

export function percentileLabel(key: PercentileKey): string {
  return LATENCY_PERCENTILES.find((p) => p.key === key)?.label ?? key;
}

/**
 * Every latency percentile of a histogram of microseconds, in milliseconds. 'max' is the 100th percentile,
 * i.e. the highest equivalent value of the top bucket (within the histogram's 0.1% precision), so it is
 * computed the same way as the other percentiles and as the bootstrap's.
 */
export function latencyPercentilesMs(h: Histogram): Record<PercentileKey, number> {
  const out = {} as Record<PercentileKey, number>;
  for (const p of LATENCY_PERCENTILES) out[p.key] = percentileMicros(h, p.percentile) / 1000;
  return out;
}
