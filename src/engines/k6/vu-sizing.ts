import type { Tier } from '../../spec/schema.js';

/**
 * Latency a tier's pre-allocated VUs must cover on top of the app's own service time, milliseconds. A k6 VU holds
 * one request at a time, so the VUs busy at once are about rate x latency (Little's law), and every arrival that
 * finds no idle VU is dropped while k6 starts one more VU, slowly, mid-test (grafana/k6 constant_arrival_rate.go:
 * one unplanned VU at a time, each start after a dropped iteration). Mean latency on loopback is ~1 ms, but the
 * budget must cover the stalls: in shared/fixtures/k6/vu-starved-1000rps the slowest iteration took 52-65 ms, so
 * at 1000 RPS 17 pre-allocated VUs (a 17 ms budget) dropped 21 arrivals and 100 (a 100 ms budget) dropped none.
 * 100 ms covers the worst stall recorded there with 50% to spare, and costs little: at 2000 RPS 200 VUs.
 */
export const K6_LATENCY_HEADROOM_MS = 100;

export interface K6VuSizing {
  /** k6's preAllocatedVUs: initialised before the test starts, so never started inside the measure window. */
  preAllocatedVUs: number;
  /** k6's maxVUs: the tier's in-flight cap; arrivals beyond it are dropped (dropped_iterations). */
  maxVUs: number;
  /** The latency the pre-allocated VUs cover at the tier's rate: the app's service time plus the headroom. */
  latencyBudgetMs: number;
  /** What decided preAllocatedVUs: rate x budget, the tier's connections (a floor), or maxInFlight (a ceiling). */
  limitedBy: 'latency-budget' | 'connections' | 'max-in-flight';
  /** Load pods the VUs are spread over (k6 execution segments); 1 locally. */
  parallelism: number;
}

export interface K6VuSizingOptions {
  /** The app's fixed service time per request (spec app.delayMs): every request takes at least this long. */
  appDelayMs?: number;
  /** Load pods, each running one execution segment (kubernetes.k6Parallelism). */
  parallelism?: number;
}

/**
 * The VUs k6 gets for a tier: pre-allocate rate x (app delay + K6_LATENCY_HEADROOM_MS), at least `connections`
 * (what the user asked for) and at most the in-flight cap `maxInFlight` (k6's maxVUs). With several load pods,
 * k6 scales both counts by each pod's execution segment (grafana/k6 GetPreAllocatedVUs/GetMaxVUs: ScaleInt64), so
 * both are rounded up to a multiple of the pods: every pod then gets the same whole share and none gets 0 VUs
 * (a pod with 0 pre-allocated VUs would start all of them mid-test).
 */
export function k6VuSizing(tier: Tier, o: K6VuSizingOptions = {}): K6VuSizing {
  const parallelism = Math.max(1, Math.floor(o.parallelism ?? 1));
  const latencyBudgetMs = Math.max(0, o.appDelayMs ?? 0) + K6_LATENCY_HEADROOM_MS;
  const byLatency = Math.ceil((tier.rps * latencyBudgetMs) / 1000);
  // k6 refuses maxVUs below preAllocatedVUs; a spec may give fewer in-flight slots than connections.
  const cap = Math.max(tier.maxInFlight, tier.connections);
  let pre = Math.max(byLatency, tier.connections);
  let limitedBy: K6VuSizing['limitedBy'] = byLatency >= tier.connections ? 'latency-budget' : 'connections';
  if (pre > cap) {
    pre = cap;
    limitedBy = 'max-in-flight';
  }
  const roundUp = (n: number): number => Math.ceil(n / parallelism) * parallelism;
  const preAllocatedVUs = roundUp(Math.max(1, pre));
  return {
    preAllocatedVUs,
    maxVUs: Math.max(roundUp(cap), preAllocatedVUs),
    latencyBudgetMs,
    limitedBy,
    parallelism,
  };
}

/** "100 (1000 RPS x 100 ms)" and the like, for `plan` and reports. */
export function describeVuSizing(tier: Tier, s: K6VuSizing): string {
  const why =
    s.limitedBy === 'latency-budget'
      ? `${tier.rps} RPS x ${s.latencyBudgetMs} ms latency budget`
      : s.limitedBy === 'connections'
        ? `the tier's connections; ${tier.rps} RPS x ${s.latencyBudgetMs} ms needs fewer`
        : `capped by maxInFlight; ${tier.rps} RPS x ${s.latencyBudgetMs} ms would need more`;
  return `${s.preAllocatedVUs} (${why})`;
}
