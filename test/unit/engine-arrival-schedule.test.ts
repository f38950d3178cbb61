import { describe, expect, it } from 'vitest';
import {
  arrivalsDue,
  intendedMs,
  isMeasured,
  planArrivals,
} from '../../src/engines/builtin/arrival-schedule.js';

describe('planArrivals', () => {
  it.each([
    // rate, warm-up s, window s, first measured index, end (exclusive) = total arrivals
    { rate: 500, warmup: 1, duration: 3, first: 500, end: 2000 },
    { rate: 500, warmup: 0, duration: 3, first: 0, end: 1500 },
    { rate: 3, warmup: 0.5, duration: 2, first: 2, end: 8 }, // arrivals at 0, .333, .667 ... 2.333 s
    { rate: 0.5, warmup: 1, duration: 4, first: 1, end: 3 }, // arrivals at 0, 2, 4 s
    { rate: 5000, warmup: 0.1, duration: 0.3, first: 500, end: 2000 },
  ])(
    'rate $rate warm-up $warmup window $duration: arrivals [$first, $end)',
    ({ rate, warmup, duration, first, end }) => {
      const s = planArrivals(rate, warmup, duration);
      expect(s.firstMeasured).toBe(first);
      expect(s.endMeasured).toBe(end);
      expect(s.measureStartMs).toBe(warmup * 1000);
      expect(s.measureEndMs).toBe((warmup + duration) * 1000);
    },
  );

  it('puts exactly the arrivals intended in [warm-up, warm-up + window) in the window', () => {
    for (const [rate, warmup, duration] of [
      [7, 0.3, 1.1],
      [333.3, 0.7, 2.9],
      [1000, 0.001, 0.002],
    ] as const) {
      const s = planArrivals(rate, warmup, duration);
      for (let i = 0; i < s.endMeasured + 5; i++) {
        const t = intendedMs(i, rate);
        expect(isMeasured(i, s)).toBe(t >= s.measureStartMs && t < s.measureEndMs);
      }
    }
  });

  it('rejects a non-positive rate', () => {
    expect(() => planArrivals(0, 1, 1)).toThrow(RangeError);
  });
});

describe('arrivalsDue', () => {
  it.each([
    { elapsed: -1, rate: 100, total: 10, due: 0 },
    { elapsed: 0, rate: 100, total: 10, due: 1 }, // arrival 0 is due at t0
    { elapsed: 9.999, rate: 100, total: 10, due: 1 },
    { elapsed: 10, rate: 100, total: 10, due: 2 },
    { elapsed: 55, rate: 100, total: 10, due: 6 },
    { elapsed: 1e6, rate: 100, total: 10, due: 10 }, // capped at the run's arrivals
  ])('$elapsed ms at $rate/s: $due due', ({ elapsed, rate, total, due }) => {
    expect(arrivalsDue(elapsed, rate, total)).toBe(due);
  });

  it('agrees with intendedMs exactly at every arrival time, including awkward rates', () => {
    for (const rate of [3, 7, 333.3, 4999]) {
      for (let i = 0; i < 2000; i++) {
        const t = intendedMs(i, rate);
        expect(arrivalsDue(t, rate, 1e9)).toBe(i + 1);
      }
    }
  });

  it('depends only on elapsed time, so a late tick catches up without shifting later arrivals', () => {
    // A tick 37 ms late at 1000/s finds the 37 missed arrivals due at once; the next arrival is still at 38 ms.
    expect(arrivalsDue(37.5, 1000, 1e9)).toBe(38);
    expect(intendedMs(38, 1000)).toBe(38);
  });
});
