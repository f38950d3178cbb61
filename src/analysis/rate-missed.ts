/**
 * The one rule for 'rate-missed', used by the runner (a cell's flags as it is recorded) and by the analysis
 * (a repetition's flags): an open-model generator that falls behind measures a lighter load than the tier names.
 */

/**
 * An achieved rate more than this far below target marks the cell: the open model did not hold. 5% is the slack
 * k6 and wrk2 users commonly accept before calling an open-model run under-driven.
 */
export const RATE_TOLERANCE = 0.05;

/** True when `achievedRps` is below `targetRps` x (1 - tolerance); a tier without a target never misses. */
export function rateMissed(targetRps: number, achievedRps: number, tolerance = RATE_TOLERANCE): boolean {
  return targetRps > 0 && achievedRps < targetRps * (1 - tolerance);
}
