/**
 * How early to wake for a deadline, learnt from how late this process's timer wake-ups have been: the rule of
 * native/early-wake.h (75th percentile of the last 32 wake-ups' lateness plus 15 us), for the Node app server
 * that serves h2c and gRPC. A Node timer fires up to about a millisecond late (libuv counts whole
 * milliseconds and runs timers after I/O), where epoll_pwait2 is late by tens of microseconds, so the margin
 * may grow to 1.5 ms here instead of 250 us: the cost is up to that much spinning per held request.
 */
const SAMPLES = 32;
const MIN_MS = 0.05;
const MAX_MS = 1.5;
const PAD_MS = 0.015;

export class EarlyWake {
  private readonly late: number[] = [];
  private next = 0;
  /** Current margin, milliseconds. */
  marginMs = 1;

  /** One wake-up aimed at `aimedMs` happened at `wokeMs` (same clock). */
  record(aimedMs: number, wokeMs: number): void {
    this.late[this.next] = Math.max(0, wokeMs - aimedMs);
    this.next = (this.next + 1) % SAMPLES;
    const sorted = [...this.late].sort((a, b) => a - b);
    const p75 = sorted[Math.floor((sorted.length * 3) / 4)] ?? 0;
    this.marginMs = Math.min(MAX_MS, Math.max(MIN_MS, p75 + PAD_MS));
  }
}

/**
 * Calls `fn` at `deadlineMs` (performance.now clock): a timer aimed early by the learnt margin, then a spin to
 * the deadline. The spin holds the event loop for about the margin; a plain setTimeout(5) held a request for
 * about 6.1 ms (docs/PERFORMANCE.md).
 */
export function holdUntil(deadlineMs: number, wake: EarlyWake, now: () => number, fn: () => void): void {
  const aim = deadlineMs - wake.marginMs;
  const wait = aim - now();
  const spin = (): void => {
    while (now() < deadlineMs) {
      // spin: the deadline is within the margin
    }
    fn();
  };
  if (wait <= 0) {
    spin();
    return;
  }
  setTimeout(() => {
    wake.record(aim, now());
    spin();
  }, wait);
}
