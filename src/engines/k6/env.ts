import type { Tier } from '../../spec/schema.js';
import type { Target } from '../engine.js';
import { K6_ENV, PHASE_TAG } from './env-keys.js';
import { assertK6AcceptsTier, scenarioMs } from './scenario-limits.js';
import { k6VuSizing, type K6VuSizing } from './vu-sizing.js';

/** Tags k6 itself sets or the scenario uses for phases; a caller's tag of the same name would corrupt ingest. */
const RESERVED_TAGS = new Set([
  PHASE_TAG,
  'scenario',
  'status',
  'error',
  'error_code',
  'expected_response',
  'check',
  'url',
  'name',
]);

/**
 * k6's rate is an integer count per timeUnit. Whole rates go per second; a fractional rate (0.5 rps) is carried
 * exactly to 1/1000 rps as a count per 1000 s: k6 spaces arrivals timeUnit/rate apart, which is the same spacing.
 */
export function k6Rate(rps: number): { rate: number; timeUnit: string } {
  if (Number.isInteger(rps)) return { rate: rps, timeUnit: '1s' };
  return { rate: Math.max(1, Math.round(rps * 1000)), timeUnit: '1000s' };
}

/**
 * A fortio-style duration (`5ms`, `1.5s`, `250us`) as nanoseconds; undefined when it is not one. Endpoints carry
 * the app delay as `?delay=` (fortio's HTTP convention); a gRPC call carries it in the Ping's delayNanos instead.
 */
export function durationNanos(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s)$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }[m[2] as 'ns' | 'us' | 'µs' | 'ms' | 's'];
  return Math.round(Number(m[1]) * unit);
}

/**
 * What a gRPC tier's scenario needs from the platform's endpoints (URLs, like an HTTP tier's): the `host:port`
 * k6's Client.connect takes, and the app delay an endpoint asks for with `?delay=`.
 */
export function grpcTargets(endpoints: string[]): { addresses: string[]; delayNanos: number } {
  let delayNanos = 0;
  const addresses = endpoints.map((e) => {
    let u: URL;
    try {
      u = new URL(e);
    } catch {
      throw new Error(`k6 engine: gRPC endpoint "${e}" is not a URL`);
    }
    if (u.port === '') throw new Error(`k6 engine: gRPC endpoint "${e}" names no port`);
    const delay = u.searchParams.get('delay');
    if (delay !== null) {
      const ns = durationNanos(delay);
      if (ns === undefined)
        throw new Error(`k6 engine: delay "${delay}" of endpoint "${e}" is not a duration`);
      delayNanos = ns;
    }
    return `${u.hostname}:${u.port}`;
  });
  return { addresses, delayNanos };
}

/**
 * The __ENV variables scenarios/constant-arrival-rate.ts reads for one tier against one target. The same map is
 * set on a local k6 process and on a Kubernetes Job's container. `tags` (mode, repetition, ...) are recorded on
 * every sample; the tier's name is always among them. `vus` is the VU sizing (vu-sizing.ts); the tier's own by
 * default. Throws for a tier k6 would refuse (scenario-limits.ts), before k6 is started.
 */
export function k6Env(
  target: Target,
  tier: Tier,
  tags: Record<string, string>,
  vus: K6VuSizing = k6VuSizing(tier),
): Record<string, string> {
  assertK6AcceptsTier(tier);
  if (target.endpoints.length === 0) throw new Error('k6 engine: the target has no endpoint');
  for (const e of target.endpoints) {
    if (e.includes(','))
      throw new Error(
        `k6 engine: endpoint "${e}" contains a comma, which ${K6_ENV.targets} uses as separator`,
      );
  }
  for (const name of Object.keys(tags)) {
    if (RESERVED_TAGS.has(name))
      throw new Error(`k6 engine: tag "${name}" is reserved by k6 or meshbench; choose another name`);
  }
  const { rate, timeUnit } = k6Rate(tier.rps);
  // The tier's protocol and churn, not the target's: src/engines/k6/support.ts has refused what k6 cannot run.
  if (tier.protocol === 'h2c')
    throw new Error(`k6 engine: tier ${tier.name} asks for h2c; k6 does not speak HTTP/2 without TLS`);
  if (
    tier.requestsPerConnection !== undefined &&
    (tier.requestsPerConnection !== 1 || tier.protocol !== 'http/1.1')
  )
    throw new Error(
      `k6 engine: tier ${tier.name} asks for ${tier.requestsPerConnection} request(s) per ${tier.protocol} connection; k6 can only open one per HTTP/1.1 request`,
    );
  const grpc = tier.protocol === 'grpc' ? grpcTargets(target.endpoints) : undefined;
  return {
    [K6_ENV.targets]: grpc ? grpc.addresses.join(',') : target.endpoints.join(','),
    [K6_ENV.rate]: String(rate),
    [K6_ENV.timeUnit]: timeUnit,
    [K6_ENV.durationMs]: String(scenarioMs(tier.durationSec)),
    [K6_ENV.warmupMs]: String(scenarioMs(tier.warmupSec)),
    [K6_ENV.preAllocatedVUs]: String(vus.preAllocatedVUs),
    [K6_ENV.maxVUs]: String(vus.maxVUs),
    [K6_ENV.payloadBytes]: String(tier.payloadBytes),
    [K6_ENV.protocol]: tier.protocol,
    [K6_ENV.noConnectionReuse]: tier.requestsPerConnection === 1 ? '1' : '0',
    ...(grpc ? { [K6_ENV.grpcDelayNanos]: String(grpc.delayNanos) } : {}),
    [K6_ENV.timeoutMs]: String(tier.timeoutMs),
    [K6_ENV.tags]: JSON.stringify({ tier: tier.name, ...tags }),
  };
}
