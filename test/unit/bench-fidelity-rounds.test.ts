import { describe, expect, it } from 'vitest';
import { combineBuiltin, combineWrk, roundOrder } from '../../bench/engine-fidelity.bench.js';
import type { BuiltinRun } from '../../bench/lib/builtin-run.js';
import { median } from '../../bench/lib/load-math.js';
import type { WrkResult } from '../../bench/lib/wrk.js';
import { benchTier } from '../../bench/lib/builtin-run.js';

function builtinRound(p50Us: number, achievedRps: number, extra: Partial<BuiltinRun> = {}): BuiltinRun {
  return {
    tier: benchTier(1000, 5, 2),
    achievedRps,
    requests: achievedRps * 5,
    errors: 0,
    dropped: 0,
    measureSeconds: 5,
    p50Us,
    p90Us: p50Us * 2,
    p99Us: p50Us * 10,
    serviceP50Us: p50Us - 5,
    serviceP99Us: p50Us * 3,
    cpuSeconds: 1,
    windowSeconds: 5,
    targetCpuSeconds: 0.2,
    ...extra,
  };
}

describe('engine fidelity rounds', () => {
  it('median: middle value, mean of the middle two, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('combines rounds: median percentiles (an outlier round moves nothing), summed counts, overall rate', () => {
    const c = combineBuiltin([
      builtinRound(110, 1000),
      builtinRound(400, 990, { errors: 2, dropped: 1 }),
      builtinRound(100, 1000),
    ]);
    expect(c.p50Us).toBe(110);
    expect(c.p99Us).toBe(1100);
    expect(c.serviceP50Us).toBe(105);
    expect(c.requests).toBe(14950);
    expect(c.errors).toBe(2);
    expect(c.dropped).toBe(1);
    expect(c.cpuSeconds).toBe(3);
    expect(c.targetCpuSeconds).toBeCloseTo(0.6, 12);
    expect(c.achievedRps).toBeCloseTo(14950 / 15, 9);
  });

  it('combines wrk rounds the same way', () => {
    const w = (p50Us: number, achievedRps: number): WrkResult => ({
      connections: 17,
      durationSec: 5,
      requests: achievedRps * 5,
      errors: 0,
      achievedRps,
      p50Us,
      p90Us: p50Us,
      p99Us: p50Us,
      meanUs: p50Us,
      cpuSeconds: 0.5,
    });
    const c = combineWrk([w(90, 1000), w(130, 1010), w(80, 990)]);
    expect(c.p50Us).toBe(90);
    expect(c.achievedRps).toBeCloseTo(1000, 9);
    expect(c.durationSec).toBe(15);
  });

  it('refuses to combine no rounds', () => {
    expect(() => combineBuiltin([])).toThrow(/no rounds/);
  });

  it('rotates the order every round, so each tool runs first, second and third once in three rounds', () => {
    const orders = [0, 1, 2].map((r) => roundOrder(0, r));
    for (const tool of ['builtin', 'hey', 'wrk'] as const) {
      expect(orders.map((o) => o.indexOf(tool)).sort()).toEqual([0, 1, 2]);
    }
    expect(roundOrder(1, 0)).toEqual(roundOrder(0, 1));
  });
});
