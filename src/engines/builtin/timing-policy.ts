/**
 * How the generator sleeps between arrivals. Node's timers have millisecond resolution and, on this 2-core VM,
 * fire 0.5-1 ms late (measured: p50 0.6-0.7 ms, p99 1-3 ms past the due time at 50-5000 RPS). That lateness
 * is added to every latency, since latency is timed from the intended send time. Spinning on setImmediate for
 * the last millisecond removes it (measured p50 lag 0.003 ms) but costs CPU in proportion to the rate
 * (measured 6% of a core at 50 RPS, 49% at 500 RPS): we spin only up to SPIN_MAX_RPS, where it costs at most
 * about a tenth of a core. Above that, arrivals come due every few hundred microseconds and responses wake
 * the generator often (it sends due arrivals on every completion).
 * When nothing is in flight the generator does better than either: it blocks on a futex until the due time
 * (load-generator.ts, arm()), which is precise to ~0.1 ms at no CPU cost.
 */
export const SPIN_MAX_RPS = 100;
const SPIN_WINDOW_MS = 1;

/** Milliseconds before a due time from which the generator spins instead of sleeping. */
export function spinWindowMs(rps: number): number {
  return rps <= SPIN_MAX_RPS ? SPIN_WINDOW_MS : 0;
}

/**
 * The setTimeout delay to use for something due in `remainingMs`; 0 means "setImmediate" (spin or already due).
 * The delay is rounded down because timers fire late, never early.
 */
export function wakeDelayMs(remainingMs: number, spinMs: number): number {
  if (remainingMs <= 0 || remainingMs <= spinMs) return 0;
  return Math.max(1, Math.floor(remainingMs - spinMs));
}

/** How often in-flight requests are checked against timeoutMs: a twentieth of it, between 5 and 100 ms. */
export function sweepIntervalMs(timeoutMs: number): number {
  return Math.min(100, Math.max(5, Math.round(timeoutMs / 20)));
}
