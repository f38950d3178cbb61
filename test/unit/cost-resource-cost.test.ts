import { describe, expect, it } from 'vitest';
import {
  hourlyCost,
  mibToGib,
  millicoresToVcpu,
  monthlyCost,
  monthlyCostForPods,
  scaleCost,
} from '../../src/cost/resource-cost.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';

const prices = DEFAULT_SPEC.prices; // OpenCost defaults: 0.031611 $/vCPU-h, 0.004237 $/GiB-h, 730 h

describe('cost of measured usage', () => {
  it('uses the OpenCost default prices', () => {
    expect(prices).toEqual({ vcpuHourUsd: 0.031611, gibHourUsd: 0.004237, hoursPerMonth: 730 });
  });

  it('100 millicores and 64 MiB at default prices, hand-computed', () => {
    // CPU: 0.1 vCPU x 0.031611 x 730 = 2.3076030; memory: 0.0625 GiB x 0.004237 x 730 = 0.193313125.
    const c = monthlyCost({ cpuMillicores: 100, memMiB: 64 }, prices);
    expect(c.cpuUsd).toBeCloseTo(2.307603, 9);
    expect(c.memUsd).toBeCloseTo(0.193313125, 9);
    expect(c.totalUsd).toBeCloseTo(2.500916125, 9);
    expect(c.totalUsd.toFixed(2)).toBe('2.50');
  });

  it('for 100 pods: 100 x 2.500916125 = 250.09', () => {
    const c = monthlyCostForPods({ cpuMillicores: 100, memMiB: 64 }, 100, prices);
    expect(c.totalUsd).toBeCloseTo(250.0916125, 7);
    expect(c.totalUsd.toFixed(2)).toBe('250.09');
  });

  it.each([
    // [millicores, MiB, prices, expected total per month]
    [0, 0, prices, 0],
    [1000, 1024, prices, (0.031611 + 0.004237) * 730], // 1 vCPU + 1 GiB = 26.16904
    [
      250,
      512,
      { vcpuHourUsd: 0.04, gibHourUsd: 0.005, hoursPerMonth: 720 },
      (0.25 * 0.04 + 0.5 * 0.005) * 720,
    ], // 9.00
  ])('%d m, %d MiB -> %d USD', (cpuMillicores, memMiB, p, expected) => {
    expect(monthlyCost({ cpuMillicores, memMiB }, p).totalUsd).toBeCloseTo(expected, 9);
  });

  it('unit conversions and scaling', () => {
    expect(millicoresToVcpu(250)).toBe(0.25);
    expect(mibToGib(512)).toBe(0.5);
    expect(hourlyCost({ cpuMillicores: 1000, memMiB: 0 }, prices).totalUsd).toBe(0.031611);
    expect(scaleCost({ cpuUsd: 1, memUsd: 2, totalUsd: 3 }, 10)).toEqual({
      cpuUsd: 10,
      memUsd: 20,
      totalUsd: 30,
    });
  });
});
