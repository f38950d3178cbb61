/**
 * Open-model load for one tier: k6's constant-arrival-rate executor starts RATE iterations per TIME_UNIT no
 * matter how slowly the target answers, each iteration one request: an HTTP/1.1 GET (k6/http), or for a `grpc` tier
 * one unary fgrpc.PingServer/Ping call (k6/net/grpc, plaintext HTTP/2, each VU keeping one connection). Two scenarios
 * run back to back:
 *   warmup  (tag phase=warmup)  for WARMUP_MS, then
 *   measure (tag phase=measure) for DURATION_MS, starting at startTime = WARMUP_MS.
 * meshbench's ingest leaves out every sample of the warm-up. PRE_VUS VUs are initialised before the test starts
 * (src/engines/k6/vu-sizing.ts sizes them for the rate); when every VU is busy, k6 drops the arrival and counts it in
 * dropped_iterations instead of queueing it (starting one more VU, up to MAX_VUS), so latency is NOT corrected for
 * coordinated omission; meshbench flags such cells and says whether k6 was short of VUs or of CPU.
 *
 * Everything comes from __ENV (see src/engines/k6/env-keys.ts), so one bundle serves every tier, locally and in
 * cluster ConfigMaps. Bundled to plain JavaScript by src/engines/k6/bundle.ts; k6 itself never sees TypeScript.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import grpc from 'k6/net/grpc';
import type { ConstantArrivalRateScenario, Options } from 'k6/options';
import {
  GRPC_CONNECT_FAILURE_METRIC,
  GRPC_PING_METHOD,
  GRPC_PROTO_FILE,
  MEASURE_PHASE,
  MEASURE_SCENARIO,
  PAYLOAD_QUERY_PARAM,
  PHASE_TAG,
  PROTOCOL_CHECK_PREFIX,
  SUMMARY_STDOUT_MARKER,
  WARMUP_PHASE,
  WARMUP_SCENARIO,
  WITH_CONNECT_METRIC,
} from '../src/engines/k6/env-keys.js';
import { readScenarioConfig, type ScenarioConfig } from './scenario-config.js';

const config: ScenarioConfig = readScenarioConfig(__ENV);

function withPayloadSize(url: string, bytes: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}${PAYLOAD_QUERY_PARAM}=${bytes}`;
}

const urls: string[] = config.targets.map((t) => withPayloadSize(t, config.payloadBytes));
const expectedProto = config.protocol.toUpperCase(); // k6 reports res.proto as 'HTTP/1.1'

// Churn tiers: latency with connection set-up (WITH_CONNECT_METRIC); gRPC tiers: the client, its message
// definition (loaded in the init context, as k6 requires) and the Ping each call sends. Metrics are declared here
// only when used, so a plain HTTP/1.1 tier's output is exactly what it was.
const withConnect = config.noConnectionReuse ? new Trend(WITH_CONNECT_METRIC, true) : undefined;
const grpcClient = config.protocol === 'grpc' ? new grpc.Client() : undefined;
if (grpcClient !== undefined) grpcClient.load([], GRPC_PROTO_FILE);
const grpcConnectFailures = grpcClient !== undefined ? new Counter(GRPC_CONNECT_FAILURE_METRIC) : undefined;
// The server echoes the message, so the payload travels both ways (an HTTP tier's request is small).
const ping = { payload: 'x'.repeat(config.payloadBytes), delayNanos: String(config.grpcDelayNanos) };
let grpcConnected = false;

function phaseScenario(
  phase: string,
  durationMs: number,
  startMs: number,
  gracefulStopMs: number,
): ConstantArrivalRateScenario {
  return {
    executor: 'constant-arrival-rate',
    rate: config.rate,
    timeUnit: config.timeUnit,
    duration: `${durationMs}ms`,
    startTime: `${startMs}ms`,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    gracefulStop: `${gracefulStopMs}ms`,
    tags: { [PHASE_TAG]: phase },
  };
}

function buildScenarios(): Record<string, ConstantArrivalRateScenario> {
  const scenarios: Record<string, ConstantArrivalRateScenario> = {};
  // k6 rejects a duration under 1 s (meshbench never sends one), so a tier without warm-up has only the measure
  // scenario. The warm-up stops without grace: k6 sizes its VU pool for the scenarios that overlap in time
  // (duration + gracefulStop), and a warm-up still draining when the measure scenario starts would make k6
  // initialise both scenarios' VUs (2 x PRE_VUS; shared/fixtures/k6/ok-200rps: vus_max 20 for 10 + 10). Without
  // grace the measure scenario takes over the warm-up's VUs, connections included; the few requests in flight
  // at the switch are cut, and they are warm-up rows.
  if (config.warmupMs > 0) scenarios[WARMUP_SCENARIO] = phaseScenario(WARMUP_PHASE, config.warmupMs, 0, 0);
  // The measure window's last requests may finish (they time out at TIMEOUT_MS anyway): k6's default is 30 s.
  scenarios[MEASURE_SCENARIO] = phaseScenario(
    MEASURE_PHASE,
    config.durationMs,
    config.warmupMs,
    config.timeoutMs,
  );
  return scenarios;
}

export const options: Options = {
  scenarios: buildScenarios(),
  tags: config.tags,
  // k6's default trend stats stop at p(95); the report needs the tail.
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(99)', 'p(99.9)', 'count'],
  // Only the tags ingest reads, so each output row stays short (no url/name: the same for every request).
  systemTags: ['scenario', 'status', 'error', 'error_code', 'expected_response', 'check'],
  // Bodies are only counted by the server side; not keeping them saves k6 memory and CPU at high rates.
  discardResponseBodies: true,
  // requestsPerConnection 1: every request dials a new connection (k6 has no way to close after N > 1).
  ...(config.noConnectionReuse ? { noConnectionReuse: true } : {}),
};

/** Round robin over the targets: iterationInTest is unique across the scenario's VUs, unlike __ITER. */
function targetFor(iteration: number): string {
  const url = urls[iteration % urls.length];
  if (url === undefined) throw new Error('meshbench scenario: no target'); // unreachable: the config has at least one
  return url;
}

function httpRequest(): void {
  const res = http.get(targetFor(exec.scenario.iterationInTest), { timeout: config.timeoutMs });
  if (withConnect !== undefined) {
    // Every phase k6 times, so the connection set-up the churn tier is about is part of the latency.
    const t = res.timings;
    withConnect.add(t.blocked + t.connecting + t.tls_handshaking + t.duration, {
      status: String(res.status),
      error_code: String(res.error_code),
    });
  }
  // A request that got no response (status 0) has no protocol to check; its error is counted from error_code.
  if (res.status !== 0)
    check(res, { [PROTOCOL_CHECK_PREFIX + expectedProto]: (r) => r.proto === expectedProto });
}

/**
 * One unary call over this VU's connection, opened on its first call (connect cannot run in the init context) and
 * kept: the gRPC client re-dials by itself if the connection breaks. A VU's target is fixed by its id, so the
 * connections spread over the targets as HTTP's round robin spreads requests. k6 times the call in
 * grpc_req_duration, tagged with the gRPC status code; ingest reads it from there.
 */
function grpcCall(client: grpc.Client): void {
  if (!grpcConnected) {
    const address = config.targets[exec.vu.idInTest % config.targets.length] ?? '';
    try {
      client.connect(address, { plaintext: true, timeout: `${config.timeoutMs}ms` });
      grpcConnected = true;
    } catch {
      // No call went out, so k6 records no grpc_req_duration: count it here, or the failure would vanish.
      grpcConnectFailures?.add(1);
      return;
    }
  }
  client.invoke(GRPC_PING_METHOD, ping, { timeout: `${config.timeoutMs}ms` });
}

export default function request(): void {
  if (grpcClient !== undefined) grpcCall(grpcClient);
  else httpRequest();
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const json = JSON.stringify(data);
  if (config.summaryPath !== '') out[config.summaryPath] = json;
  if (config.summaryStdout) out['stdout'] = `\n${SUMMARY_STDOUT_MARKER}${json}\n`;
  return out;
}
