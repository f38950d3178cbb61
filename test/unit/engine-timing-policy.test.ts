import { describe, expect, it } from 'vitest';
import {
  SPIN_MAX_RPS,
  spinWindowMs,
  sweepIntervalMs,
  wakeDelayMs,
} from '../../src/engines/builtin/timing-policy.js';

describe('timing policy', () => {
  it('spins for the last millisecond only at low rates', () => {
    expect(spinWindowMs(50)).toBe(1);
    expect(spinWindowMs(SPIN_MAX_RPS)).toBe(1);
    expect(spinWindowMs(SPIN_MAX_RPS + 1)).toBe(0);
  });

  it.each([
    { remaining: -3, spin: 0, delay: 0 }, // already due: next turn of the loop
    { remaining: 0.4, spin: 1, delay: 0 }, // inside the spin window
    { remaining: 0.4, spin: 0, delay: 1 }, // timers cannot sleep less than 1 ms
    { remaining: 19.7, spin: 1, delay: 18 }, // sleep up to the spin window, rounded down (timers fire late)
    { remaining: 19.7, spin: 0, delay: 19 },
  ])('due in $remaining ms, spin $spin ms: setTimeout($delay)', ({ remaining, spin, delay }) => {
    expect(wakeDelayMs(remaining, spin)).toBe(delay);
  });

  it.each([
    { timeoutMs: 50, every: 5 },
    { timeoutMs: 1000, every: 50 },
    { timeoutMs: 60000, every: 100 },
  ])('checks timeouts of $timeoutMs ms every $every ms', ({ timeoutMs, every }) => {
    expect(sweepIntervalMs(timeoutMs)).toBe(every);
  });
});
