/**
 * The open-model arrival schedule of k6's constant-arrival-rate executor: arrival i is intended at
 * t0 + i / rate, whatever happened to earlier arrivals. Pure arithmetic on milliseconds since t0, so the
 * generator can recompute from the clock on every tick and never accumulates drift.
 */
export interface ArrivalSchedule {
  /** Arrivals per second. */
  rate: number;
  /** Milliseconds since t0 at which the measure window opens (end of warm-up). */
  measureStartMs: number;
  /** Milliseconds since t0 at which the measure window closes. */
  measureEndMs: number;
  /** Index of the first arrival intended inside the measure window. */
  firstMeasured: number;
  /** One past the last arrival intended inside the window; also the number of arrivals in the whole run. */
  endMeasured: number;
}

/** When arrival `i` is intended, milliseconds since t0. */
export function intendedMs(i: number, rate: number): number {
  return (i * 1000) / rate;
}

/** The smallest index whose intended time is at or after `ms` (nudged so it agrees exactly with intendedMs). */
function firstIndexAtOrAfter(ms: number, rate: number): number {
  let i = Math.max(0, Math.ceil((ms * rate) / 1000));
  while (i > 0 && intendedMs(i - 1, rate) >= ms) i--;
  while (intendedMs(i, rate) < ms) i++;
  return i;
}

export function planArrivals(rate: number, warmupSec: number, durationSec: number): ArrivalSchedule {
  if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
  const measureStartMs = warmupSec * 1000;
  const measureEndMs = (warmupSec + durationSec) * 1000;
  return {
    rate,
    measureStartMs,
    measureEndMs,
    firstMeasured: firstIndexAtOrAfter(measureStartMs, rate),
    endMeasured: firstIndexAtOrAfter(measureEndMs, rate),
  };
}

/** How many arrivals (from index 0) are due at `elapsedMs`: those intended at or before it, at most `total`. */
export function arrivalsDue(elapsedMs: number, rate: number, total: number): number {
  if (elapsedMs < 0) return 0;
  let n = Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
  while (n > 0 && intendedMs(n - 1, rate) > elapsedMs) n--;
  while (n < total && intendedMs(n, rate) <= elapsedMs) n++;
  return n;
}

/** Whether arrival `i` falls in the measure window (warm-up arrivals are never recorded). */
export function isMeasured(i: number, s: ArrivalSchedule): boolean {
  return i >= s.firstMeasured && i < s.endMeasured;
}
