import { studentTTwoSidedP } from '../stats/student-t.js';

/**
 * The critical value t* of Student's t with df degrees of freedom for a two-sided interval at `confidence`:
 * P(|T| <= t*) = confidence. Found by bisection on the two-sided p-value (stats/student-t.ts), which falls
 * monotonically in t; 200 halvings of [0, 1e7] pin t* far below any printed digit. df may be fractional
 * (Welch-Satterthwaite). Known answers: df 2 -> 4.3027, df 4 -> 2.7764, df 30 -> 2.0423 at 0.95.
 */
export function studentTCritical(df: number, confidence: number): number {
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be in (0, 1), got ${confidence}`);
  const alpha = 1 - confidence;
  let lo = 0;
  let hi = 1e7;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSidedP(mid, df) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
