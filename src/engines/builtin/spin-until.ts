/**
 * Busy-waits until `now()` reaches `atMs`, reading the clock a few dozen times instead of ~500. On Node 20 every
 * performance.now() allocates ~33 bytes (it builds an hrtime array): spinning 0.12 ms per arrival on the clock
 * alone made ~4 KB of garbage per request, and the worker stopped for a ~1 ms scavenge every quarter second,
 * which showed as latency. Between reads it burns three quarters of the remaining time in a loop that allocates nothing,
 * sized by a loop speed it keeps measuring.
 */
const cell = new Int32Array(1);
/** Loop iterations per microsecond: a first guess, refined on every long burn (a typed array: a module-level
 * `let` holding a double would be re-boxed, i.e. allocated, on every update). */
const itersPerUs = new Float64Array([50]);
const MAX_ITERS_PER_US = 5000;
/**
 * Below this much remaining time it just reads the clock; above, each burn stops this far short of the due
 * time, so that a burn that runs slower than estimated (a cache miss, an interrupt) still ends before it.
 */
const TIGHT_MS = 0.004;

export function spinUntil(atMs: number, now: () => number): void {
  let before = now();
  for (;;) {
    const remaining = atMs - before;
    if (remaining <= 0) return;
    const n = remaining > TIGHT_MS ? Math.floor((remaining - TIGHT_MS) * 750 * (itersPerUs[0] as number)) : 0;
    for (let k = 0; k < n; k++) Atomics.load(cell, 0);
    const after = now();
    if (n >= 1000 && after > before) {
      // Clamped: a coarse or stalled clock must not make the next burn absurdly long (or zero).
      const measured = Math.min(MAX_ITERS_PER_US, Math.max(1, n / ((after - before) * 1000)));
      itersPerUs[0] = 0.8 * (itersPerUs[0] as number) + 0.2 * measured;
    }
    before = after;
  }
}

/** The loop speed spinUntil currently assumes (for tests). */
export function spinIterationsPerUs(): number {
  return itersPerUs[0] as number;
}
