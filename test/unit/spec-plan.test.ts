import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, quickPreset } from '../../src/spec/defaults.js';
import { planRun, rotate, secondsRemaining } from '../../src/spec/plan.js';
import { resolveSpec } from '../../src/spec/validate.js';

describe('planRun', () => {
  it('interleaves: each repetition runs every tier across every mode, starting with a different mode', () => {
    const spec = resolveSpec({
      modes: ['baseline', 'appmesh', 'istio-sidecar'],
      tiers: [{ name: 'low' }],
      repetitions: 3,
      seed: 0,
    });
    const plan = planRun(spec);
    expect(plan.order).toBe('interleaved');
    expect(plan.cells.map((c) => `${c.repetition}:${c.mode}`)).toEqual([
      '1:baseline',
      '1:appmesh',
      '1:istio-sidecar',
      '2:appmesh',
      '2:istio-sidecar',
      '2:baseline',
      '3:istio-sidecar',
      '3:baseline',
      '3:appmesh',
    ]);
    expect(plan.cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('falls back to mode-major, with the reason, when the platform cannot hold every mode', () => {
    const spec = resolveSpec({
      modes: ['baseline', 'appmesh'],
      tiers: [{ name: 'low' }, { name: 'high' }],
      repetitions: 2,
    });
    const plan = planRun(spec, 'one namespace quota');
    expect(plan.order).toBe('mode-major');
    expect(plan.orderReason).toBe('one namespace quota');
    expect(plan.cells.map((c) => `${c.mode}/${c.repetition}/${c.tier.name}`)).toEqual([
      'baseline/1/low',
      'baseline/1/high',
      'baseline/2/low',
      'baseline/2/high',
      'appmesh/1/low',
      'appmesh/1/high',
      'appmesh/2/low',
      'appmesh/2/high',
    ]);
  });

  it('expects the default --quick matrix to take about two minutes of load', () => {
    const plan = planRun(quickPreset(DEFAULT_SPEC));
    expect(plan.cells).toHaveLength(45);
    // 30 cells at 50 and 500 RPS x (0.5 s warm-up + 2 s) + 15 cells at 2000 RPS x (1 s warm-up + 2 s),
    // no cool-down in the quick preset = 75 + 45 = 120 s
    expect(plan.expectedSeconds).toBeCloseTo(120, 6);
  });

  it('counts the remaining seconds from a cell onwards', () => {
    const spec = resolveSpec({
      modes: ['baseline'],
      tiers: [{ name: 'a', rps: 1, durationSec: 10, warmupSec: 2 }],
      repetitions: 3,
      cooldownSec: 1,
    });
    const plan = planRun(spec);
    expect(secondsRemaining(plan, 0, 0, 1)).toBe(39);
    expect(secondsRemaining(plan, 1, 5, 1)).toBe(21);
  });
});

describe('rotate', () => {
  it.each([
    [[1, 2, 3], 0, [1, 2, 3]],
    [[1, 2, 3], 1, [2, 3, 1]],
    [[1, 2, 3], 4, [2, 3, 1]],
    [[1, 2, 3], -1, [3, 1, 2]],
    [[], 3, []],
  ])('rotate(%j, %i)', (items, k, expected) => {
    expect(rotate(items, k)).toEqual(expected);
  });
});
