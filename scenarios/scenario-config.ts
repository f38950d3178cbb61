import { K6_ENV } from '../src/engines/k6/env-keys.js';

/**
 * Reads the scenario's settings from k6's __ENV. Every variable is required (meshbench's k6Env() sets them all)
 * and checked here, in the init context: a bad value then stops k6 before any request with a message naming
 * the variable, instead of a run that measures something other than what was asked.
 */
export interface ScenarioConfig {
  targets: string[];
  rate: number;
  timeUnit: string;
  durationMs: number;
  warmupMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  payloadBytes: number;
  /** What k6 speaks: 'http/1.1' through k6/http, 'grpc' through k6/net/grpc (plaintext HTTP/2). */
  protocol: 'http/1.1' | 'grpc';
  /** k6's noConnectionReuse: a new connection for every request (HTTP only). */
  noConnectionReuse: boolean;
  /** gRPC: delayNanos sent in each Ping (the app's hold time). */
  grpcDelayNanos: number;
  timeoutMs: number;
  tags: Record<string, string>;
  summaryPath: string;
  summaryStdout: boolean;
}

type Env = { [name: string]: string | undefined };

function required(env: Env, name: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === '')
    throw new Error(`meshbench scenario: environment variable ${name} is not set`);
  return v.trim();
}

function integer(env: Env, name: string, min: number): number {
  const raw = required(env, name);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`meshbench scenario: ${name}=${raw} must be an integer >= ${min}`);
  return n;
}

function parseTargets(raw: string, protocol: ScenarioConfig['protocol']): string[] {
  const targets = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const t of targets) {
    if (protocol === 'grpc') {
      // k6's Client.connect takes host:port without a scheme.
      if (!/^[^/\s:]+:\d+$/.test(t) && !/^\[[0-9a-fA-F:.]+\]:\d+$/.test(t))
        throw new Error(
          `meshbench scenario: ${K6_ENV.targets} entry "${t}" is not a host:port address for gRPC`,
        );
    } else if (!/^https?:\/\/[^/\s]+/.test(t))
      throw new Error(`meshbench scenario: ${K6_ENV.targets} entry "${t}" is not an http(s) URL`);
  }
  if (targets.length === 0) throw new Error(`meshbench scenario: ${K6_ENV.targets} lists no URL`);
  return targets;
}

function parseTags(raw: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new Error(`meshbench scenario: ${K6_ENV.tags} is not JSON: ${String(e)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`meshbench scenario: ${K6_ENV.tags} must be a JSON object of strings`);
  }
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v !== 'string')
      throw new Error(`meshbench scenario: tag ${k} in ${K6_ENV.tags} must be a string`);
    tags[k] = v;
  }
  return tags;
}

export function readScenarioConfig(env: Env): ScenarioConfig {
  const protocol = required(env, K6_ENV.protocol);
  // k6's HTTP client speaks HTTP/2 only over TLS (ALPN), never as cleartext h2c: the targets are plain http://,
  // so h2c is refused rather than silently sent as HTTP/1.1. gRPC goes through k6/net/grpc with plaintext.
  if (protocol !== 'http/1.1' && protocol !== 'grpc') {
    throw new Error(
      `meshbench scenario: ${K6_ENV.protocol}=${protocol} is not supported; k6 sends http/1.1 (k6 does not speak HTTP/2 without TLS) or grpc`,
    );
  }
  const reuse = required(env, K6_ENV.noConnectionReuse);
  if (reuse !== '0' && reuse !== '1')
    throw new Error(`meshbench scenario: ${K6_ENV.noConnectionReuse}=${reuse} must be 0 or 1`);
  // k6's gRPC client reports no connection time (grpc_req_duration times the call only), so a churned call would
  // leave out the set-up it is meant to show; src/engines/k6/support.ts refuses such tiers before a run.
  if (reuse === '1' && protocol === 'grpc')
    throw new Error(`meshbench scenario: ${K6_ENV.noConnectionReuse}=1 is not supported for grpc`);
  const timeUnit = required(env, K6_ENV.timeUnit);
  if (!/^\d+(ms|s|m|h)$/.test(timeUnit))
    throw new Error(`meshbench scenario: ${K6_ENV.timeUnit}=${timeUnit} is not a k6 duration`);
  const preAllocatedVUs = integer(env, K6_ENV.preAllocatedVUs, 1);
  const maxVUs = integer(env, K6_ENV.maxVUs, 1);
  if (maxVUs < preAllocatedVUs)
    throw new Error(
      `meshbench scenario: ${K6_ENV.maxVUs}=${maxVUs} is below ${K6_ENV.preAllocatedVUs}=${preAllocatedVUs}`,
    );
  return {
    targets: parseTargets(required(env, K6_ENV.targets), protocol),
    rate: integer(env, K6_ENV.rate, 1),
    timeUnit,
    durationMs: integer(env, K6_ENV.durationMs, 1),
    warmupMs: integer(env, K6_ENV.warmupMs, 0),
    preAllocatedVUs,
    maxVUs,
    payloadBytes: integer(env, K6_ENV.payloadBytes, 0),
    protocol,
    noConnectionReuse: reuse === '1',
    grpcDelayNanos: protocol === 'grpc' ? integer(env, K6_ENV.grpcDelayNanos, 0) : 0,
    timeoutMs: integer(env, K6_ENV.timeoutMs, 1),
    tags: parseTags(required(env, K6_ENV.tags)),
    summaryPath: (env[K6_ENV.summaryPath] ?? '').trim(),
    summaryStdout: env[K6_ENV.summaryStdout] === '1',
  };
}
