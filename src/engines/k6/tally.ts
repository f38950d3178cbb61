import type { ErrorKind } from '../../results/schema.js';
import { createHistogram, recordMicros, type Histogram } from '../../stats/histogram.js';
import { errorKindForK6Code } from './error-codes.js';

/**
 * Which latency a k6 request contributes to the histogram, in microseconds, or undefined for none.
 * - A response arrived (status > 0, also 4xx/5xx): its http_req_duration (k6 reports milliseconds).
 * - Timed out (error_code 1050 request timeout, 1211 dial timeout): the request took at least the timeout, so it
 *   is recorded at max(duration, timeout); leaving it out would hide exactly the worst latencies.
 * - Any other failure without a response (refused, reset, DNS...): none. k6 reports 0 ms or the time to the
 *   failure, which is not a response latency; such requests are counted in errors, not in the histogram.
 */
export function latencyMicros(
  valueMs: number,
  status: number,
  errorCode: number,
  timeoutMs: number,
): number | undefined {
  if (status > 0) return valueMs * 1000;
  if (errorKindForK6Code(errorCode) === 'timeout') return Math.max(valueMs, timeoutMs) * 1000;
  return undefined;
}

/** Counts of one k6 run, split into the measure window and the warm-up that is left out. */
export class K6Tally {
  /** http_req_duration of the measure window, microseconds. */
  readonly histogram: Histogram = createHistogram();
  requests = 0;
  ok = 0;
  readonly byStatus: Record<string, number> = {};
  readonly byKind: Partial<Record<ErrorKind, number>> = {};
  dropped = 0;
  readonly checks = { passes: 0, fails: 0 };
  /** What the warm-up did: left out of every figure above, kept to cross-check against k6's own totals. */
  readonly warmup = { requests: 0, dropped: 0 };

  constructor(private readonly timeoutMs: number) {}

  addRequest(valueMs: number, status: number, errorCode: number, warmup: boolean): void {
    if (warmup) {
      this.warmup.requests++;
      return;
    }
    this.requests++;
    if (status >= 200 && status < 400) {
      this.ok++;
    } else {
      const key = String(status);
      this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
      if (status === 0) {
        const kind = errorKindForK6Code(errorCode);
        this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
      }
    }
    const us = latencyMicros(valueMs, status, errorCode, this.timeoutMs);
    if (us !== undefined) recordMicros(this.histogram, us);
  }

  addDropped(count: number, warmup: boolean): void {
    if (warmup) this.warmup.dropped += count;
    else this.dropped += count;
  }

  addCheck(passed: boolean, warmup: boolean): void {
    if (warmup) return;
    if (passed) this.checks.passes++;
    else this.checks.fails++;
  }
}
