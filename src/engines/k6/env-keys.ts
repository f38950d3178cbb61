/**
 * The contract between meshbench and its k6 scenario: the __ENV variables the scenario reads and the tags it
 * puts on every sample. Imported by both sides (src/engines/k6/env.ts writes them, scenarios/ reads them; esbuild
 * inlines this file into the bundle), so the two can never drift apart. Pure constants: it must stay free of
 * Node and k6 imports because it is compiled for both.
 */
export const K6_ENV = {
  /** Comma-separated base URLs; the scenario sends request i to TARGETS[i % n] (round robin). */
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
  /** 'http/1.1' (the only protocol the spec allows so far). */
  httpVersion: 'HTTP_VERSION',
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
