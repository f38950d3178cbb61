import type { ErrorKind } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { createHistogram, recordMicros, type Histogram } from '../../stats/histogram.js';
import { GRPC_STATUS_DEADLINE_EXCEEDED, GRPC_STATUS_OK, GRPC_STATUS_UNAVAILABLE } from './env-keys.js';
import { errorKindForK6Code } from './error-codes.js';

/**
 * Where a run's latency comes from: `http`, http_req_duration (keep-alive tiers); `with-connect`, the scenario's
 * WITH_CONNECT_METRIC (churn tiers: k6's http_req_duration leaves connection set-up out); `grpc`, grpc_req_duration.
 */
export type K6LatencySource = 'http' | 'with-connect' | 'grpc';

/** The metric a tier's latency is read from, as the scenario writes it for that tier. */
export function latencySourceFor(tier: Pick<Tier, 'protocol' | 'requestsPerConnection'>): K6LatencySource {
  if (tier.protocol === 'grpc') return 'grpc';
  return tier.requestsPerConnection === 1 ? 'with-connect' : 'http';
}

/** The key errors.byStatus counts a gRPC call under when it did not end OK, e.g. `grpc-14`. */
export function grpcStatusKey(code: number): string {
  return `grpc-${code}`;
}

/**
 * What one gRPC call (grpc_req_duration, tagged with its gRPC status code) contributes, by the same rule as an
 * HTTP request: OK and statuses the server sent count with their latency; DEADLINE_EXCEEDED is the client's
 * timeout (recorded at no less than the timeout); UNAVAILABLE means no server answered (left out of the histogram).
 */
export function grpcOutcome(
  valueMs: number,
  code: number,
  timeoutMs: number,
): { ok: boolean; kind?: ErrorKind; micros?: number } {
  if (code === GRPC_STATUS_OK) return { ok: true, micros: valueMs * 1000 };
  if (code === GRPC_STATUS_DEADLINE_EXCEEDED)
    return { ok: false, kind: 'timeout', micros: Math.max(valueMs, timeoutMs) * 1000 };
  if (code === GRPC_STATUS_UNAVAILABLE) return { ok: false, kind: 'refused' };
  return { ok: false, micros: valueMs * 1000 };
}

/**
 * Which latency a k6 request contributes to the histogram, in microseconds, or undefined for none.
 * - A response arrived (status > 0, also 4xx/5xx): its http_req_duration (k6 reports milliseconds).
 * - Timed out (error_code 1050 request timeout, 1211 dial timeout): the request took at least the timeout, so it
 *   is recorded at max(duration, timeout); leaving it out would hide exactly the worst latencies.
 * - Any other failure without a response (refused, reset, DNS...): none. k6 reports 0 ms or the time to the
 *   failure, which is not a response latency; such requests are counted in errors, not in the histogram.
 */
export function latencyMicros(
  valueMs: number,
  status: number,
  errorCode: number,
  timeoutMs: number,
): number | undefined {
  if (status > 0) return valueMs * 1000;
  if (errorKindForK6Code(errorCode) === 'timeout') return Math.max(valueMs, timeoutMs) * 1000;
  return undefined;
}

/** Counts of one k6 run, split into the measure window and the warm-up that is left out. */
export class K6Tally {
  /** http_req_duration of the measure window, microseconds. */
  readonly histogram: Histogram = createHistogram();
  requests = 0;
  ok = 0;
  readonly byStatus: Record<string, number> = {};
  readonly byKind: Partial<Record<ErrorKind, number>> = {};
  dropped = 0;
  readonly checks = { passes: 0, fails: 0 };
  /** What the warm-up did: left out of every figure above, kept to cross-check against k6's own totals. */
  readonly warmup = { requests: 0, dropped: 0 };

  constructor(
    private readonly timeoutMs: number,
    private readonly latency: K6LatencySource = 'http',
  ) {}

  /** One http_req_duration row: a request, and its latency unless the run's latency comes from elsewhere. */
  addRequest(valueMs: number, status: number, errorCode: number, warmup: boolean): void {
    if (warmup) {
      this.warmup.requests++;
      return;
    }
    this.requests++;
    if (status >= 200 && status < 400) {
      this.ok++;
    } else {
      const key = String(status);
      this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
      if (status === 0) {
        const kind = errorKindForK6Code(errorCode);
        this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
      }
    }
    if (this.latency !== 'http') return;
    const us = latencyMicros(valueMs, status, errorCode, this.timeoutMs);
    if (us !== undefined) recordMicros(this.histogram, us);
  }

  /** One WITH_CONNECT_METRIC row (churn tiers): the latency of a request already counted by addRequest. */
  addWithConnect(valueMs: number, status: number, errorCode: number, warmup: boolean): void {
    if (warmup || this.latency !== 'with-connect') return;
    const us = latencyMicros(valueMs, status, errorCode, this.timeoutMs);
    if (us !== undefined) recordMicros(this.histogram, us);
  }

  /** One grpc_req_duration row: a call with its gRPC status code. */
  addGrpcCall(valueMs: number, code: number, warmup: boolean): void {
    if (warmup) {
      this.warmup.requests++;
      return;
    }
    this.requests++;
    const o = grpcOutcome(valueMs, code, this.timeoutMs);
    if (o.ok) this.ok++;
    else {
      const key = grpcStatusKey(code);
      this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
      if (o.kind !== undefined) this.byKind[o.kind] = (this.byKind[o.kind] ?? 0) + 1;
    }
    if (o.micros !== undefined) recordMicros(this.histogram, o.micros);
  }

  /** Calls that never went out because Client.connect failed: no response (status "0"), refused. */
  addGrpcConnectFailures(count: number, warmup: boolean): void {
    if (warmup) {
      this.warmup.requests += count;
      return;
    }
    this.requests += count;
    this.byStatus['0'] = (this.byStatus['0'] ?? 0) + count;
    this.byKind.refused = (this.byKind.refused ?? 0) + count;
  }

  addDropped(count: number, warmup: boolean): void {
    if (warmup) this.warmup.dropped += count;
    else this.dropped += count;
  }

  addCheck(passed: boolean, warmup: boolean): void {
    if (warmup) return;
    if (passed) this.checks.passes++;
    else this.checks.fails++;
  }
}
