import type { LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { encodeHistogram } from '../../stats/histogram.js';
import { PROTOCOL_CHECK_PREFIX } from './env-keys.js';
import type { K6Ingest } from './ingest.js';
import type { K6Summary } from './summary.js';

/** For reports: what k6's latency figures are, and are not. */
export const K6_LATENCY_NOTE =
  'k6 latency is its http_req_duration: from the moment a VU starts sending a request to the end of the response (connection ' +
  'set-up excluded; for churn tiers, requestsPerConnection 1, it is included: blocked + connecting + TLS + http_req_duration; ' +
  "for gRPC tiers it is grpc_req_duration, the call alone), not from the request's scheduled arrival time. Unlike the builtin engine it is NOT corrected for coordinated " +
  'omission: when every VU is busy, k6 drops the arrival (dropped_iterations) instead of queueing it, so latency is under-stated ' +
  'in cells with dropped iterations (flagged "dropped").';

/**
 * Turns an ingest of the measure window into the engine's result. Rates are per second of the measure window,
 * which the scenario fixes (startTime = warm-up, duration = tier.durationSec).
 */
export function toLatencyResult(ingest: K6Ingest, tier: Tier): LatencyResult {
  return {
    histogram: encodeHistogram(ingest.histogram),
    coordinatedOmissionCorrected: false,
    requests: ingest.requests,
    ok: ingest.ok,
    errors: { byStatus: { ...ingest.errors.byStatus }, byKind: { ...ingest.errors.byKind } },
    dropped: ingest.dropped,
    targetRps: tier.rps,
    achievedRps: ingest.requests / tier.durationSec,
    measureSeconds: tier.durationSec,
  };
}

/**
 * Refuses an ingest that cannot be trusted, naming the file: nothing measured, responses over another protocol
 * than asked, or fewer rows than k6's own summary counted (the output was cut at a line boundary, which the
 * last-line test cannot see).
 */
export function verifyIngest(
  ingest: K6Ingest,
  outputPath: string,
  protocol: string,
  summary: K6Summary | undefined,
): void {
  const rows = ingest.requests + ingest.warmup.requests;
  if (summary?.requests !== undefined && summary.requests !== rows) {
    throw new Error(
      `k6 output ${outputPath} holds ${rows} requests but k6's summary counted ${summary.requests}: the output is incomplete`,
    );
  }
  if (ingest.requests === 0) {
    throw new Error(
      `k6 output ${outputPath} holds no request of the measure window (warm-up: ${ingest.warmup.requests}); nothing was measured`,
    );
  }
  if (ingest.checks.fails > 0) {
    throw new Error(
      `${ingest.checks.fails} of ${ingest.checks.passes + ingest.checks.fails} responses failed the check "${PROTOCOL_CHECK_PREFIX}${protocol.toUpperCase()}": ` +
        'the target answered over another protocol than the tier asks for',
    );
  }
}
