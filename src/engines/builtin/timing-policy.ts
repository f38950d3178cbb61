/**
 * How the generator waits for its next arrival. Latency is timed from each arrival's intended send time, so
 * every microsecond the generator wakes late is added to a latency. Node's timers have millisecond resolution
 * and, on this 2-core VM, fire 0.5-1 ms late (p99 1-3 ms), so they are used only to come close:
 * - nothing in flight and the arrival due within BLOCK_WINDOW_MS: block the thread on a futex until then.
 *   No response can be delayed by it, it costs no CPU, and it wakes within ~0.1 ms; at rates up to
 *   SPIN_TAIL_MAX_RPS it wakes SPIN_TAIL_MS early and spins the rest (spin-until.ts).
 * - a request in flight and the next wake-up an arrival: no timer at all. Each completion sends what has come
 *   due, and should the response be late, the overdue watch (overdue-watch.ts, another thread) wakes the
 *   generator GRACE_MS after the arrival's intended time. A millisecond timer armed after every send, as
 *   before, made p50 at 1000 RPS 10-25 us slower while it waited for the response, fired or not.
 * - otherwise (further off, or a window edge while in flight, or no watch): a millisecond timer, armed to fire
 *   inside the block window (idle) or at the due time (in flight).
 * Tried for the in-flight case and not kept (interleaved rounds against nginx at 1000 RPS, docs/PERFORMANCE.md):
 * - no wake-up at all while a request is in flight: as fast as the watch, but one slow response would hold
 *   back the next arrivals, which is coordinated omission in the generator itself;
 * - polling the loop (setImmediate) for up to 0.3 ms after each send: the same p50 gain, but p90 went from
 *   ~210 to ~480 us, as the polling thread competed with the target for the two cores;
 * - a timer 4 ms later than the due time (past the kernel's next tick): no faster than a 1 ms one.
 */
export type Wait =
  | { how: 'now' }
  | { how: 'block'; forMs: number; spinMs: number }
  | { how: 'timer'; delayMs: number }
  /** Nothing to arm: a completion or the overdue watch wakes the generator. */
  | { how: 'watch' };

/** Timers aimed at the block window fire this long before the due time: they fire 0.5-1 ms late, rarely 2. */
export const BLOCK_WINDOW_MS = 2.5;
export const SPIN_TAIL_MS = 0.12;
/** Spinning SPIN_TAIL_MS per arrival costs at most an eighth of a core up to this rate. */
export const SPIN_TAIL_MAX_RPS = 1000;

/** The spin tail for a rate: SPIN_TAIL_MS up to SPIN_TAIL_MAX_RPS, none above. */
export function spinTailMs(rps: number): number {
  return rps <= SPIN_TAIL_MAX_RPS ? SPIN_TAIL_MS : 0;
}

export interface WaitInput {
  /** Until the next due time (an arrival, or a window edge). */
  remainingMs: number;
  /** Nothing in flight. */
  idle: boolean;
  rps: number;
  /**
   * How far libuv's cached loop time, which Node's timers count from, is behind the clock (it stands still
   * while the thread blocks inside a callback); without it such timers fire that much early.
   */
  loopClockLagMs?: number;
  /** The overdue watch covers this wake-up: it is an arrival (not a window edge) and the watch is running. */
  watched?: boolean;
}

export function chooseWait(w: WaitInput): Wait {
  const { remainingMs, idle, rps } = w;
  if (remainingMs <= 0) return { how: 'now' };
  if (idle && remainingMs <= BLOCK_WINDOW_MS) {
    const spinMs = Math.min(remainingMs, spinTailMs(rps));
    return { how: 'block', forMs: remainingMs - spinMs, spinMs };
  }
  if (!idle && w.watched) return { how: 'watch' };
  // Rounded down, because timers fire late, never early.
  const window = idle ? BLOCK_WINDOW_MS : 0;
  return { how: 'timer', delayMs: Math.max(1, Math.floor(remainingMs + (w.loopClockLagMs ?? 0) - window)) };
}

/** How often in-flight requests are checked against timeoutMs: a twentieth of it, between 5 and 100 ms. */
export function sweepIntervalMs(timeoutMs: number): number {
  return Math.min(100, Math.max(5, Math.round(timeoutMs / 20)));
}
