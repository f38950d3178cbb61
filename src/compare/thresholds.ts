import { z } from 'zod';

/**
 * When `meshbench compare` calls a change a regression (or an improvement). A change must clear BOTH limits
 * of its metric: grow by more than `relative` (a fraction of the baseline run's figure: 0.1 = 10%) AND by
 * more than `absolute` (in the metric's own unit). Relative alone would flag 0.01 ms moves of a 0.05 ms
 * figure; absolute alone would ignore a 0.5 ms move on a 100 ms tail and flag one on a 0.3 ms p50 equally.
 * On top of the thresholds, a change must be statistically distinguishable and larger than the noise of
 * either run (see compare/verdict.ts): thresholds say what is worth reporting, statistics what is real.
 *
 * Defaults and why:
 * - latency p50 (absolute latency of a mode, and latency added over baseline): 10% and 0.1 ms. One extra
 *   proxy hop on loopback costs a few tenths of a millisecond at low load, so 0.1 ms still catches a hop;
 *   below it, scheduler wake-up jitter on a shared host (tens of microseconds) dominates.
 * - p99: 10% and 0.2 ms (the example): the tail moves with GC and scheduling, so the floor is double.
 * - p99.9: 15% and 0.5 ms: at the default low tier (50 RPS x 2 s x 10 repetitions = 1000 values) p99.9 rests
 *   on one or two values per run, so it is the noisiest figure compared.
 * - proxy CPU per 1000 RPS: 10% and 10 millicores. Set when local CPU came in /proc clock ticks (USER_HZ = 100,
 *   10 ms), where a 10 s window resolves about 1 millicore of mean usage, x20 at the 50 RPS tier. The local
 *   sampler now reads nanoseconds (schedstat); the floor is kept for clusters (metrics-server's 15 s points)
 *   and older runs.
 * - proxy memory (sum over the mode's proxies): 10% and 5 MiB: resident memory moves by allocator arenas
 *   and pages between otherwise identical runs.
 * - cost per pod: 10% and $0.05 per month: a tenth of what one sidecar's 50 m CPU costs at OpenCost's
 *   default prices (0.05 vCPU x $0.031611/h x 730 h = $1.15).
 * - error rate: 50% and 0.001 (0.1 percentage point): a healthy run has no errors, so any sustained error
 *   rate above one request in a thousand is worth a look; between two runs that both fail some requests,
 *   only a rate that grows by half is.
 * - confidence: 0.95, the level of the interval on every difference.
 */
function limit(relative: number, absolute: number) {
  return z
    .object({
      /** Fraction of the baseline run's figure, e.g. 0.1 = 10%. */
      relative: z.number().min(0).max(100).default(relative),
      /** In the metric's unit (ms, millicores per 1000 RPS, MiB, USD per month, error ratio). */
      absolute: z.number().min(0).default(absolute),
    })
    .strict()
    .default({});
}

export const thresholdsSchema = z
  .object({
    /** Two-sided level of the interval on each difference. */
    confidence: z.number().gt(0.5).lt(1).default(0.95),
    latencyP50: limit(0.1, 0.1),
    latencyP99: limit(0.1, 0.2),
    latencyP999: limit(0.15, 0.5),
    addedP50: limit(0.1, 0.1),
    addedP99: limit(0.1, 0.2),
    addedP999: limit(0.15, 0.5),
    proxyCpuPer1000Rps: limit(0.1, 10),
    proxyMemory: limit(0.1, 5),
    costPerPod: limit(0.1, 0.05),
    errorRate: limit(0.5, 0.001),
  })
  .strict()
  .default({});

export type Thresholds = z.infer<typeof thresholdsSchema>;
export type ThresholdKey = Exclude<keyof Thresholds, 'confidence'>;
export type Limit = Thresholds[ThresholdKey];

export const THRESHOLD_KEYS: readonly ThresholdKey[] = [
  'latencyP50',
  'latencyP99',
  'latencyP999',
  'addedP50',
  'addedP99',
  'addedP999',
  'proxyCpuPer1000Rps',
  'proxyMemory',
  'costPerPod',
  'errorRate',
];

/** Every default filled in: what a spec without `thresholds` resolves to. */
export function defaultThresholds(): Thresholds {
  return thresholdsSchema.parse(undefined);
}
