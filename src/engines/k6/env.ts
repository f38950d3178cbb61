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
  return {
    [K6_ENV.targets]: target.endpoints.join(','),
    [K6_ENV.rate]: String(rate),
    [K6_ENV.timeUnit]: timeUnit,
    [K6_ENV.durationMs]: String(scenarioMs(tier.durationSec)),
    [K6_ENV.warmupMs]: String(scenarioMs(tier.warmupSec)),
    [K6_ENV.preAllocatedVUs]: String(vus.preAllocatedVUs),
    [K6_ENV.maxVUs]: String(vus.maxVUs),
    [K6_ENV.payloadBytes]: String(tier.payloadBytes),
    [K6_ENV.httpVersion]: target.protocol,
    [K6_ENV.timeoutMs]: String(tier.timeoutMs),
    [K6_ENV.tags]: JSON.stringify({ tier: tier.name, ...tags }),
  };
}
