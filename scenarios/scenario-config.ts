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
  httpVersion: 'http/1.1';
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

function parseTargets(raw: string): string[] {
  const targets = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const t of targets) {
    if (!/^https?:\/\/[^/\s]+/.test(t))
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
  const httpVersion = required(env, K6_ENV.httpVersion);
  // k6 speaks HTTP/2 only over TLS (ALPN), never as cleartext h2c, so 'http/1.1' is all it can honour here.
  if (httpVersion !== 'http/1.1') {
    throw new Error(
      `meshbench scenario: ${K6_ENV.httpVersion}=${httpVersion} is not supported; k6 can send http/1.1 to these targets`,
    );
  }
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
    targets: parseTargets(required(env, K6_ENV.targets)),
    rate: integer(env, K6_ENV.rate, 1),
    timeUnit,
    durationMs: integer(env, K6_ENV.durationMs, 1),
    warmupMs: integer(env, K6_ENV.warmupMs, 0),
    preAllocatedVUs,
    maxVUs,
    payloadBytes: integer(env, K6_ENV.payloadBytes, 0),
    httpVersion,
    timeoutMs: integer(env, K6_ENV.timeoutMs, 1),
    tags: parseTags(required(env, K6_ENV.tags)),
    summaryPath: (env[K6_ENV.summaryPath] ?? '').trim(),
    summaryStdout: env[K6_ENV.summaryStdout] === '1',
  };
}
