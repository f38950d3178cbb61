import * as hdr from 'hdr-histogram-js';

/**
 * Latency histograms are HDR histograms of microseconds with 3 significant digits (0.1% value error),
 * tracking 1 us .. 1 hour. Every producer (builtin engine, k6 ingest, cluster collectors) emits this same
 * shape, so histograms from any cell, repetition or load generator merge exactly.
 */
export const HISTOGRAM_CONFIG = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
} as const;

/** How a histogram is stored in results.json: HdrHistogram's compressed V2 encoding, base64. */
export interface EncodedHistogram {
  encoding: 'hdr-v2-base64';
  unit: 'us';
  data: string;
}

export type Histogram = hdr.Histogram;

export function createHistogram(): Histogram {
  return hdr.build({ ...HISTOGRAM_CONFIG, bitBucketSize: 64, useWebAssembly: false });
}

/** Records a value in microseconds, clamped into the trackable range so that one outlier never throws. */
export function recordMicros(h: Histogram, us: number): void {
  const v = Math.min(
    HISTOGRAM_CONFIG.highestTrackableValue,
    Math.max(HISTOGRAM_CONFIG.lowestDiscernibleValue, Math.round(us)),
  );
  h.recordValue(v);
}

export function encodeHistogram(h: Histogram): EncodedHistogram {
  return { encoding: 'hdr-v2-base64', unit: 'us', data: hdr.encodeIntoCompressedBase64(h) };
}

export function decodeHistogram(e: EncodedHistogram): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(e.data, 64, false);
  // Normalise into our configuration so that later merges never hit a range mismatch.
  const h = createHistogram();
  h.add(decoded);
  return h;
}

/** Merges histograms (sums counts): the only correct way to combine percentiles across runs or workers. */
export function mergeHistograms(parts: Iterable<Histogram>): Histogram {
  const out = createHistogram();
  for (const p of parts) out.add(p);
  return out;
}

export function mergeEncoded(parts: Iterable<EncodedHistogram>): Histogram {
  const out = createHistogram();
  for (const p of parts) out.add(decodeHistogram(p));
  return out;
}

/** Value at a percentile (0..100], microseconds; 0 for an empty histogram. */
export function percentileMicros(h: Histogram, p: number): number {
  if (h.totalCount === 0) return 0;
  return h.getValueAtPercentile(p);
}

/** One non-empty bucket of a histogram: its highest equivalent value (what percentiles report) and its count. */
export interface HistogramBucket {
  valueUs: number;
  count: number;
}

/**
 * The non-empty buckets in ascending order. Values are each bucket's highest equivalent value, the value
 * getValueAtPercentile() reports, so percentiles computed from these buckets equal the histogram's own.
 */
export function histogramBuckets(h: Histogram): HistogramBucket[] {
  if (!(h instanceof hdr.JsHistogram))
    throw new Error('histogramBuckets needs a JS histogram (createHistogram)');
  const out: HistogramBucket[] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push({ valueUs: v.valueIteratedTo, count: v.countAddedInThisIterationStep });
  }
  return out;
}
