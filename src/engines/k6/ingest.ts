import type { ErrorKind } from '../../results/schema.js';
import type { Histogram } from '../../stats/histogram.js';
import { createCsvLineHandler } from './ingest-csv.js';
import { createJsonLineHandler } from './ingest-json.js';
import { readLines } from './line-reader.js';
import { K6Tally, type K6LatencySource } from './tally.js';

export { K6OutputTruncatedError } from './line-reader.js';
export { parseK6Summary, extractMarkedSummary, type K6Summary } from './summary.js';

/**
 * The engine asks k6 for CSV (`--out csv=...`), not JSON lines. Both carry every sample with its tags, but for the
 * same run the CSV is about half the size (ok-200rps fixture: 2.28 MB vs 4.75 MB), so k6 writes and meshbench
 * reads half the bytes, and the metric name leads each row, so the 12 of 13 rows per request that ingest does not
 * need are skipped without parsing: per request, CSV ingests about twice as fast (bench/k6-ingest.bench.ts:
 * ~0.10 vs ~0.05 million requests per CPU-second). CSV timestamps are whole seconds, which costs nothing here: the
 * measure window is the scenario's own (startTime = warm-up, fixed duration), not inferred from timestamps.
 * JSON lines are read too (same figures, tested against each other), e.g. for output produced elsewhere.
 */
export type K6OutputFormat = 'csv' | 'json';

export interface K6IngestOptions {
  /** Default: from the file name (.json, .jsonl, .ndjson: json; otherwise csv). */
  format?: K6OutputFormat;
  /** The tier's request timeout: a timed-out request is recorded at no less than this (see tally.ts). */
  timeoutMs?: number;
  /** Which metric the latency comes from (tally.ts); default http_req_duration. */
  latency?: K6LatencySource;
  signal?: AbortSignal;
}

export interface K6Ingest {
  /** Latency of the measure window (http_req_duration unless `latency` says otherwise), microseconds, in meshbench's HDR configuration. */
  histogram: Histogram;
  /** Measure-window requests (any outcome). */
  requests: number;
  ok: number;
  errors: { byStatus: Record<string, number>; byKind: Partial<Record<ErrorKind, number>> };
  /** dropped_iterations of the measure scenario. */
  dropped: number;
  checks: { passes: number; fails: number };
  /** The warm-up, left out of everything above. */
  warmup: { requests: number; dropped: number };
  bytes: number;
  lines: number;
}

export function outputFormatOf(path: string): K6OutputFormat {
  return /\.(json|jsonl|ndjson)$/i.test(path) ? 'json' : 'csv';
}

/**
 * Streams k6's raw output into a histogram and counts, never holding the file in memory. Leaves out the warm-up
 * (tag phase=warmup or scenario warmup). Throws, naming the file, on an empty file, a malformed row, or a file
 * cut mid-record (K6OutputTruncatedError).
 */
export async function ingestK6Output(path: string, opts: K6IngestOptions = {}): Promise<K6Ingest> {
  const tally = new K6Tally(opts.timeoutMs ?? 0, opts.latency ?? 'http');
  const format = opts.format ?? outputFormatOf(path);
  const handler = format === 'csv' ? createCsvLineHandler(tally, path) : createJsonLineHandler(tally, path);
  const { bytes, lines } = await readLines(path, handler.onLine, opts.signal);
  handler.finish();
  return {
    histogram: tally.histogram,
    requests: tally.requests,
    ok: tally.ok,
    errors: { byStatus: { ...tally.byStatus }, byKind: { ...tally.byKind } },
    dropped: tally.dropped,
    checks: { ...tally.checks },
    warmup: { ...tally.warmup },
    bytes,
    lines,
  };
}
