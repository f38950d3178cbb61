import type { ErrorKind } from '../../results/schema.js';
import { createHistogram, recordMicros, type Histogram } from '../../stats/histogram.js';

/** How one request ended: a response with a status (any status), or a failure of a known kind. */
export type Outcome = { kind: 'response'; status: number } | { kind: 'error'; error: ErrorKind };

/** Counts and histograms of the requests of one measure window, as one worker thread saw them. */
export interface Tally {
  /** Completion minus intended send time (coordinated-omission corrected), microseconds. */
  latency: Histogram;
  /** Completion minus the time the request went on the wire (service time, as k6 http_req_duration), microseconds. */
  service: Histogram;
  requests: number;
  ok: number;
  byStatus: Record<string, number>;
  byKind: Partial<Record<ErrorKind, number>>;
  dropped: number;
}

export function createTally(): Tally {
  return {
    latency: createHistogram(),
    service: createHistogram(),
    requests: 0,
    ok: 0,
    byStatus: {},
    byKind: {},
    dropped: 0,
  };
}

/** 2xx and 3xx count as ok, as in k6's default expected_response (200-399). */
export function isOkStatus(status: number): boolean {
  return status >= 200 && status < 400;
}

/**
 * Records one completed request. Every outcome goes into both histograms, errors and timeouts included, so
 * that histogram.totalCount === requests and a failing proxy cannot hide its slowest requests: a timeout is
 * recorded at the time it was declared (at least timeoutMs after the send).
 */
export function recordOutcome(t: Tally, o: Outcome, latencyUs: number, serviceUs: number): void {
  t.requests++;
  recordMicros(t.latency, latencyUs);
  recordMicros(t.service, serviceUs);
  if (o.kind === 'response') {
    if (isOkStatus(o.status)) t.ok++;
    else t.byStatus[String(o.status)] = (t.byStatus[String(o.status)] ?? 0) + 1;
  } else {
    t.byKind[o.error] = (t.byKind[o.error] ?? 0) + 1;
  }
}
