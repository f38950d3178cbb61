import { describe, expect, it } from 'vitest';
import { toLatencyResult } from '../../src/engines/builtin/latency-result.js';
import type { WorkerResult } from '../../src/engines/builtin/protocol.js';
import { createTally, isOkStatus, recordOutcome, type Tally } from '../../src/engines/builtin/tally.js';
import { decodeHistogram, encodeHistogram, percentileMicros } from '../../src/stats/histogram.js';

function workerResult(t: Tally, issueSpanMs: number): WorkerResult {
  return {
    histogram: encodeHistogram(t.latency),
    serviceHistogram: encodeHistogram(t.service),
    requests: t.requests,
    ok: t.ok,
    byStatus: t.byStatus,
    byKind: t.byKind,
    dropped: t.dropped,
    issueSpanMs,
  };
}

describe('recordOutcome', () => {
  it('counts 2xx/3xx as ok, other statuses by status, failures by kind, and times every outcome', () => {
    const t = createTally();
    recordOutcome(t, { kind: 'response', status: 200 }, 1000, 900);
    recordOutcome(t, { kind: 'response', status: 302 }, 1000, 900);
    recordOutcome(t, { kind: 'response', status: 500 }, 2000, 1900);
    recordOutcome(t, { kind: 'response', status: 500 }, 2000, 1900);
    recordOutcome(t, { kind: 'response', status: 404 }, 2000, 1900);
    recordOutcome(t, { kind: 'error', error: 'timeout' }, 100_000, 100_000);
    recordOutcome(t, { kind: 'error', error: 'refused' }, 300, 300);
    expect(t.requests).toBe(7);
    expect(t.ok).toBe(2);
    expect(t.byStatus).toEqual({ '500': 2, '404': 1 });
    expect(t.byKind).toEqual({ timeout: 1, refused: 1 });
    expect(t.latency.totalCount).toBe(7);
    expect(t.service.totalCount).toBe(7);
  });

  it.each([
    [199, false],
    [200, true],
    [399, true],
    [400, false],
    [503, false],
  ])('status %i ok: %s', (status, ok) => {
    expect(isOkStatus(status)).toBe(ok);
  });
});

describe('toLatencyResult', () => {
  it('merges histograms and sums counts over workers', () => {
    const a = createTally();
    const b = createTally();
    // Worker a: 90 requests at 1 ms; worker b: 10 requests at 100 ms. The merged p50 is 1 ms and p95 100 ms,
    // which no average of the two workers' percentiles would give.
    for (let i = 0; i < 90; i++) recordOutcome(a, { kind: 'response', status: 200 }, 1000, 800);
    for (let i = 0; i < 10; i++) recordOutcome(b, { kind: 'response', status: 503 }, 100_000, 80_000);
    a.dropped = 3;
    recordOutcome(b, { kind: 'error', error: 'reset' }, 5000, 5000);
    const r = toLatencyResult([workerResult(a, 2000), workerResult(b, 2000)], { rps: 60, durationSec: 2 });
    expect(r.requests).toBe(101);
    expect(r.ok).toBe(90);
    expect(r.errors).toEqual({ byStatus: { '503': 10 }, byKind: { reset: 1 } });
    expect(r.dropped).toBe(3);
    expect(r.coordinatedOmissionCorrected).toBe(true);
    expect(r.targetRps).toBe(60);
    expect(r.measureSeconds).toBe(2);
    expect(r.achievedRps).toBeCloseTo(50.5, 10);
    const h = decodeHistogram(r.histogram);
    expect(h.totalCount).toBe(101);
    // HDR with 3 significant digits: values within 0.1%.
    expect(percentileMicros(h, 50)).toBeGreaterThanOrEqual(1000);
    expect(percentileMicros(h, 50)).toBeLessThanOrEqual(1001);
    expect(percentileMicros(h, 95)).toBeGreaterThanOrEqual(100_000);
    expect(percentileMicros(h, 95)).toBeLessThanOrEqual(100_100);
    expect(decodeHistogram(r.serviceHistogram!).totalCount).toBe(101);
  });

  it('stretches the window when the generator issued its arrivals late, lowering achievedRps', () => {
    const t = createTally();
    for (let i = 0; i < 1000; i++) recordOutcome(t, { kind: 'response', status: 200 }, 1000, 1000);
    // The last arrival of a 2 s window went out 500 ms late: 1000 requests over 2.5 s.
    const r = toLatencyResult([workerResult(t, 2500)], { rps: 500, durationSec: 2 });
    expect(r.measureSeconds).toBe(2.5);
    expect(r.achievedRps).toBe(400);
  });

  it('refuses to combine nothing', () => {
    expect(() => toLatencyResult([], { rps: 1, durationSec: 1 })).toThrow(RangeError);
  });
});
