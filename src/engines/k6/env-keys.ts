/**
 * The contract between meshbench and its k6 scenario: the __ENV variables the scenario reads and the tags it
 * puts on every sample. Imported by both sides (src/engines/k6/env.ts writes them, scenarios/ reads them; esbuild
 * inlines this file into the bundle), so the two can never drift apart. Pure constants: it must stay free of
 * Node and k6 imports because it is compiled for both.
 */
export const K6_ENV = {
  /**
   * Comma-separated targets. HTTP: base URLs, request i goes to TARGETS[i % n] (round robin). gRPC: `host:port`
   * addresses (k6's Client.connect takes no scheme), VU v keeps one connection to TARGETS[v % n].
   */
  targets: 'TARGETS',
  /** Iterations (= requests) per TIME_UNIT: an integer, as k6 requires. */
  rate: 'RATE',
  /** k6 duration string, '1s' or '1000s' (the latter carries fractional rates: 0.5 rps = 500 per 1000s). */
  timeUnit: 'TIME_UNIT',
  /** Measure window, milliseconds. */
  durationMs: 'DURATION_MS',
  /** Warm-up before the measure window, milliseconds; 0 leaves the warm-up scenario out. */
  warmupMs: 'WARMUP_MS',
  /** Pre-allocated VUs (vu-sizing.ts: rate x latency budget, at least connections): each keeps its own connection. */
  preAllocatedVUs: 'PRE_VUS',
  /** Maximum VUs (tier.maxInFlight): arrivals beyond it are dropped (dropped_iterations), never queued. */
  maxVUs: 'MAX_VUS',
  /** Response body size to ask the app for, bytes (sent as the `size` query parameter). */
  payloadBytes: 'PAYLOAD_BYTES',
  /** The tier's protocol as k6 speaks it: 'http/1.1' (k6/http) or 'grpc' (k6/net/grpc, plaintext HTTP/2). */
  protocol: 'PROTOCOL',
  /** '1': k6's noConnectionReuse, a new connection for every request (requestsPerConnection 1); '0': keep-alive. */
  noConnectionReuse: 'NO_CONNECTION_REUSE',
  /** gRPC tiers: the app's hold time asked for in each Ping (fortio's delayNanos field), nanoseconds; '0' for none. */
  grpcDelayNanos: 'GRPC_DELAY_NANOS',
  /** Per-request timeout, milliseconds. */
  timeoutMs: 'TIMEOUT_MS',
  /** JSON object of test-wide tags (mode, tier, repetition, ...). */
  tags: 'TAGS',
  /** Optional: file handleSummary writes the JSON summary to (local runs). */
  summaryPath: 'SUMMARY_PATH',
  /** Optional: '1' makes handleSummary also print the JSON summary to stdout after SUMMARY_STDOUT_MARKER (cluster Jobs, read from pod logs). */
  summaryStdout: 'SUMMARY_STDOUT',
} as const;

/** Query parameter that asks the app for a response body of N bytes (fortio's `/echo?size=N` convention). */
export const PAYLOAD_QUERY_PARAM = 'size';

/** Tag that separates warm-up samples (left out of every figure) from the measure window. */
export const PHASE_TAG = 'phase';
export const WARMUP_PHASE = 'warmup';
export const MEASURE_PHASE = 'measure';
/** k6 scenario names; k6 tags samples (also dropped_iterations, which carry no custom tags) with `scenario`. */
export const WARMUP_SCENARIO = 'warmup';
export const MEASURE_SCENARIO = 'measure';

/** Prefix of the stdout line that carries handleSummary's JSON when SUMMARY_STDOUT=1. */
export const SUMMARY_STDOUT_MARKER = '@@MESHBENCH_K6_SUMMARY@@';

/** Name of the one check the scenario runs: the response came back over the protocol the tier asked for. */
export const PROTOCOL_CHECK_PREFIX = 'protocol is ';

/**
 * The gRPC call of a `grpc` tier: unary Ping of fortio's ping service (fgrpc.PingServer), which the local app
 * serves too. Its message is described by GRPC_PROTO_FILE (fgrpc-ping-proto.ts, shipped beside the bundle).
 */
export const GRPC_PING_METHOD = 'fgrpc.PingServer/Ping';
export const GRPC_PROTO_FILE = 'fgrpc-ping.proto';

/**
 * A Trend the scenario adds for connection-churn tiers: blocked + connecting + TLS + http_req_duration, in ms.
 * k6's http_req_duration leaves connection set-up out (grafana/k6 issue 2692; k6-docs issue 1424), which is the
 * very cost a churn tier measures, so these tiers take their latency from this metric. Tagged with the request's
 * `status` and `error_code` like http_req_duration, so ingest applies the same rule to it.
 */
export const WITH_CONNECT_METRIC = 'meshbench_req_duration';

/** A Counter the gRPC scenario adds when Client.connect throws: a call that never reached the wire. */
export const GRPC_CONNECT_FAILURE_METRIC = 'meshbench_grpc_connect_failures';

/**
 * k6 error codes of a request that timed out (1050 request timeout, 1211 dial timeout): recorded at no less than
 * the timeout (see tally.ts). gRPC's DEADLINE_EXCEEDED (4) is the same for a call.
 */
export const K6_TIMEOUT_CODES: readonly number[] = [1050, 1211];
export const GRPC_STATUS_OK = 0;
export const GRPC_STATUS_DEADLINE_EXCEEDED = 4;
export const GRPC_STATUS_UNAVAILABLE = 14;
