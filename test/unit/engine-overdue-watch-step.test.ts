import { describe, expect, it } from 'vitest';
import { watchStep, type WatchPlan } from '../../src/engines/builtin/overdue-watch.js';

// 1000 RPS from t = 100 ms: arrival i is intended at 100 + i ms, overdue 0.5 ms later.
const plan: WatchPlan = { t0Ms: 100, rate: 1000, total: 50, graceMs: 0.5, minGapMs: 1 };
const view = { lastKicked: -1, lastWakeMs: -Infinity };

describe('overdue watch: one step', () => {
  it('sleeps until the next unsent arrival is overdue', () => {
    const s = watchStep(plan, { ...view, nowMs: 102.2, next: 3 });
    expect(s.do).toBe('sleep');
    // Arrival 3 is intended at 103, overdue at 103.5.
    expect(s.do !== 'exit' && s.sleepMs).toBeCloseTo(1.3, 9);
  });

  it('wakes the generator once an arrival is overdue, and only once for it', () => {
    const first = watchStep(plan, { ...view, nowMs: 103.6, next: 3 });
    expect(first).toEqual({ do: 'kick', sleepMs: 1 });
    const again = watchStep(plan, { nowMs: 104.6, next: 3, lastKicked: 3, lastWakeMs: 103.6 });
    expect(again).toEqual({ do: 'sleep', sleepMs: 1 });
    // The generator moved on but is late again: the next arrival gets its own wake-up.
    expect(watchStep(plan, { nowMs: 104.6, next: 4, lastKicked: 3, lastWakeMs: 103.6 }).do).toBe('kick');
  });

  it('does not wake for an arrival that is due but still inside the grace', () => {
    expect(watchStep(plan, { ...view, nowMs: 103.4, next: 3 }).do).toBe('sleep');
  });

  it('wakes at most once per minGapMs at high rates', () => {
    // 5000 RPS: arrivals every 0.2 ms; having woken at 200.0, the next look is at 201.0 at the earliest.
    const fast: WatchPlan = { ...plan, t0Ms: 200, rate: 5000, total: 10_000 };
    const s = watchStep(fast, { nowMs: 200.05, next: 1, lastKicked: -1, lastWakeMs: 200 });
    expect(s.do).toBe('sleep');
    expect(s.do !== 'exit' && s.sleepMs).toBeCloseTo(0.95, 9);
  });

  it('ends once every arrival has been issued', () => {
    expect(watchStep(plan, { ...view, nowMs: 500, next: 50 })).toEqual({ do: 'exit' });
  });
});
