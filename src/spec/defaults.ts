import { DEFAULT_KUBERNETES_SETTINGS } from '../platforms/kubernetes/settings.js';
import { defaultThresholds } from '../compare/thresholds.js';
import { DEFAULT_MODE_NAMES } from '../modes/mode.js';
import { DEFAULT_SIZING } from '../size/settings.js';
import type { ResolvedSpec, Tier } from './schema.js';

/**
 * Tiers follow the bands platform teams size for: low (<100 RPS), medium (100-1000), high (>1000).
 * Connections grow with rate so that a keep-alive pool never becomes the bottleneck at the tier's rate.
 *
 * 10 repetitions of 2 s (after 1 s of warm-up) rather than 6 of 4 s or 3 of 10 s, for about the same ten
 * minutes. The repetitions are the units of the overhead intervals, and on a shared 2-core VM one window in
 * several holds a stall of the whole machine that lifts its p99 tenfold. From 8 repetitions a side the P50,
 * P90 and P99 added are the shift of per-repetition percentiles with a Mann-Whitney interval
 * (analysis/overhead.ts), which one or two stalled windows a side cannot move; with 10 a side the 95% interval
 * is the 24th of 100 differences. 2 s at 500 RPS still puts 10 requests beyond each window's p99. Measured
 * on the 2-core VM (docs/PERFORMANCE.md, "A P99 that resolves"): with 6 x 4 s and the merged bootstrap the
 * P99 added by istio-sidecar and istio-waypoint resolved at medium and high in 3 and 2 of 4 cells in two
 * quiet runs, one stalled baseline window deciding the high tier.
 */
export const DEFAULT_TIERS: readonly Tier[] = [
  {
    name: 'low',
    rps: 50,
    durationSec: 2,
    warmupSec: 1,
    connections: 4,
    payloadBytes: 256,
    protocol: 'http/1.1',
    maxInFlight: 256,
    timeoutMs: 5000,
  },
  {
    name: 'medium',
    rps: 500,
    durationSec: 2,
    warmupSec: 1,
    connections: 16,
    payloadBytes: 1024,
    protocol: 'http/1.1',
    maxInFlight: 512,
    timeoutMs: 5000,
  },
  {
    name: 'high',
    rps: 2000,
    durationSec: 2,
    warmupSec: 1,
    connections: 32,
    payloadBytes: 1024,
    protocol: 'http/1.1',
    maxInFlight: 1024,
    timeoutMs: 5000,
  },
];

export const DEFAULT_SPEC: ResolvedSpec = {
  version: 1,
  name: 'default',
  platform: 'local',
  engine: 'auto',
  modes: [...DEFAULT_MODE_NAMES],
  tiers: DEFAULT_TIERS.map((t) => ({ ...t })),
  repetitions: 10,
  order: 'interleaved',
  cooldownSec: 0.5,
  seed: 1,
  app: { replicas: 2, delayMs: 0 },
  local: { nodes: 2, proxyThreads: 1, haproxy: 'haproxy', sampleIntervalMs: 250, cpuPinning: 'off' },
  // OpenCost's default on-demand prices (opencost/opencost configs/default.json: CPU 0.031611 $/vCPU-h,
  // RAM 0.004237 $/GiB-h) and its 730 hours per month.
  prices: { vcpuHourUsd: 0.031611, gibHourUsd: 0.004237, hoursPerMonth: 730 },
  // Regression thresholds of `meshbench compare`; defaults and their reasons in compare/thresholds.ts.
  thresholds: defaultThresholds(),
  // Headroom, limit factors and minimum per proxy of `meshbench size`; reasons in size/settings.ts.
  sizing: structuredClone(DEFAULT_SIZING),
  kubernetes: structuredClone(DEFAULT_KUBERNETES_SETTINGS),
};

/**
 * `--quick`: the whole matrix (every mode and tier, at most 3 repetitions) in about two minutes: 2 s measure windows
 * after at most 0.5 s of warm-up, or 1.5 s from 1000 RPS up (the default tiers' own 1 s is kept). Measured on a 2-core VM: at 2000 RPS the L7 proxies and
 * app servers need about a second to reach steady state (connections, TLS, JIT); with 0.5 s the backlog built
 * in that second lasted through the window (p50 200-390 ms instead of 0.5-1 ms). Enough to smoke-test a set-up
 * and the pipeline, not to publish figures. k6 refuses scenarios under 1 s, so with k6 the 0.5 s warm-ups run
 * for 1 s (engines/k6/scenario-limits.ts); the builtin engine keeps them.
 */
export const QUICK_MEASURE_SEC = 2;
/** `--quick` runs at most this many repetitions: a smoke test needs the matrix, not narrow intervals. */
export const QUICK_REPETITIONS = 3;
export function quickWarmupSec(rps: number): number {
  return rps >= 1000 ? 1.5 : 0.5;
}

export function quickPreset(spec: ResolvedSpec): ResolvedSpec {
  return {
    ...spec,
    repetitions: Math.min(spec.repetitions, QUICK_REPETITIONS),
    cooldownSec: 0,
    tiers: spec.tiers.map((t) => ({
      ...t,
      durationSec: Math.min(t.durationSec, QUICK_MEASURE_SEC),
      warmupSec: Math.min(t.warmupSec, quickWarmupSec(t.rps)),
    })),
  };
}
