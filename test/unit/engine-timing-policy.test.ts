import { describe, expect, it } from 'vitest';
import {
  BLOCK_WINDOW_MS,
  chooseWait,
  SPIN_TAIL_MAX_RPS,
  SPIN_TAIL_MS,
  spinTailMs,
  sweepIntervalMs,
} from '../../src/engines/builtin/timing-policy.js';

describe('timing policy', () => {
  it('spins a short tail before each due time only up to SPIN_TAIL_MAX_RPS', () => {
    expect(spinTailMs(100)).toBe(SPIN_TAIL_MS);
    expect(spinTailMs(SPIN_TAIL_MAX_RPS)).toBe(SPIN_TAIL_MS);
    expect(spinTailMs(SPIN_TAIL_MAX_RPS + 1)).toBe(0);
  });

  it.each([
    { name: 'already due', remaining: -3, idle: true, rps: 1000, wait: { how: 'now' } },
    { name: 'due now, busy', remaining: 0, idle: false, rps: 1000, wait: { how: 'now' } },
    // Idle and close: block the thread, spinning the tail.
    {
      name: 'idle, 0.9 ms',
      remaining: 0.9,
      idle: true,
      rps: 1000,
      wait: { how: 'block', forMs: 0.78, spinMs: 0.12 },
    },
    {
      name: 'idle, 0.9 ms, fast rate',
      remaining: 0.9,
      idle: true,
      rps: 5000,
      wait: { how: 'block', forMs: 0.9, spinMs: 0 },
    },
    {
      name: 'idle, inside the tail',
      remaining: 0.05,
      idle: true,
      rps: 100,
      wait: { how: 'block', forMs: 0, spinMs: 0.05 },
    },
    {
      name: 'idle, at the window edge',
      remaining: BLOCK_WINDOW_MS,
      idle: true,
      rps: 100,
      wait: { how: 'block', forMs: 2.38, spinMs: 0.12 },
    },
    // Idle and far: a timer that lands inside the block window even when it fires on time.
    { name: 'idle, 9.7 ms', remaining: 9.7, idle: true, rps: 100, wait: { how: 'timer', delayMs: 7 } },
    { name: 'idle, 3 ms', remaining: 3, idle: true, rps: 100, wait: { how: 'timer', delayMs: 1 } },
    // Busy: the thread must not block; a timer at the due time, at least 1 ms (timers cannot do less).
    { name: 'busy, 0.4 ms', remaining: 0.4, idle: false, rps: 1000, wait: { how: 'timer', delayMs: 1 } },
    { name: 'busy, 19.7 ms', remaining: 19.7, idle: false, rps: 50, wait: { how: 'timer', delayMs: 19 } },
  ])('$name: $wait.how', ({ remaining, idle, rps, wait }) => {
    const got = chooseWait({ remainingMs: remaining, idle, rps });
    expect(got.how).toBe(wait.how);
    for (const [k, v] of Object.entries(wait)) {
      if (typeof v === 'number') expect((got as Record<string, unknown>)[k]).toBeCloseTo(v, 9);
    }
  });

  it('arms nothing in flight when the overdue watch covers the wake-up, and a timer when it does not', () => {
    expect(chooseWait({ remainingMs: 0.9, idle: false, rps: 1000, watched: true })).toEqual({ how: 'watch' });
    // A window edge (not watched) still gets its timer, and an idle generator still blocks or times itself.
    expect(chooseWait({ remainingMs: 0.9, idle: false, rps: 1000, watched: false }).how).toBe('timer');
    expect(chooseWait({ remainingMs: 0.9, idle: true, rps: 1000, watched: true }).how).toBe('block');
    expect(chooseWait({ remainingMs: 9, idle: true, rps: 100, watched: true }).how).toBe('timer');
    expect(chooseWait({ remainingMs: 0, idle: false, rps: 1000, watched: true }).how).toBe('now');
  });

  it('corrects timers for the loop clock that stood still while the thread blocked', () => {
    // Due in 0.4 ms, but libuv's clock is 0.9 ms behind: a 1 ms timer would fire 0.6 ms early.
    expect(chooseWait({ remainingMs: 0.4, idle: false, rps: 2000, loopClockLagMs: 0.9 })).toEqual({
      how: 'timer',
      delayMs: 1,
    });
    expect(chooseWait({ remainingMs: 1.4, idle: false, rps: 2000, loopClockLagMs: 0.9 })).toEqual({
      how: 'timer',
      delayMs: 2,
    });
  });

  it.each([
    { timeoutMs: 50, every: 5 },
    { timeoutMs: 1000, every: 50 },
    { timeoutMs: 60000, every: 100 },
  ])('checks timeouts of $timeoutMs ms every $every ms', ({ timeoutMs, every }) => {
    expect(sweepIntervalMs(timeoutMs)).toBe(every);
  });
});
