import { describe, expect, it } from 'vitest';
import { fitLine, predict } from '../../src/size/fit.js';
import { fitModel, WEAK_FIT_R2 } from '../../src/size/models.js';
import type { MeasuredPoint } from '../../src/size/measure.js';
import { sizingInputs } from '../../src/size/inputs.js';
import { extrapolation } from '../../src/size/recommend.js';
import { mulberry32, randomNormal } from '../../src/stats/prng.js';
import { LINEAR_LOADS, linearLoadResults } from '../helpers/size-fixtures.js';

const pt = (rps: number, cpu: number, mem = 10): MeasuredPoint => ({
  mode: 'istio-sidecar',
  kind: 'sidecar',
  rps,
  cpuMillicores: cpu,
  memMiB: mem,
  source: 'r.json',
  tier: 't',
  proxyId: 'p',
});

describe('size: fitting proxy usage against RPS', () => {
  it('recovers an exact line with r^2 = 1', () => {
    const f = fitLine(
      [
        [0, 3],
        [100, 28],
        [400, 103],
        [1000, 253],
      ],
      'proportional',
    );
    expect(f.method).toBe('least-squares');
    expect(f.slopePerRps).toBeCloseTo(0.25, 12);
    expect(f.intercept).toBeCloseTo(3, 10);
    expect(f.r2).toBeCloseTo(1, 12);
  });

  it('recovers a known slope from noisy points within a few standard errors', () => {
    // y = 3 + 0.25 x + N(0, 5^2), 200 points uniform over 0..1000. The slope's standard error is
    // sigma / (sqrt(n) sd(x)) = 5 / (14.1 x 289) ~ 0.0012; 0.01 is 8 standard errors: a wrong fit fails,
    // noise does not.
    const rng = mulberry32(42);
    const pts = Array.from({ length: 200 }, () => {
      const x = rng() * 1000;
      return [x, 3 + 0.25 * x + 5 * randomNormal(rng)] as const;
    });
    const f = fitLine(pts, 'proportional');
    expect(Math.abs(f.slopePerRps - 0.25)).toBeLessThan(0.01);
    // Intercept SE ~ sigma x sqrt(1/n + mean^2/Sxx) ~ 0.7; 4 is about 6 of them.
    expect(Math.abs(f.intercept - 3)).toBeLessThan(4);
    expect(f.r2).toBeGreaterThan(0.99);
  });

  it('fits the sidecar slope of a synthetic run, pooling client and server sidecars', () => {
    // Every sample jittered by 5% (N(0, 0.05) x value): the means over 8 points x 2 repetitions wobble by ~1%.
    const inputs = sizingInputs([
      { path: 'r.json', results: linearLoadResults({ jitter: 0.05, modes: ['baseline', 'istio-sidecar'] }) },
    ]);
    const m = inputs.models.find((x) => x.mode === 'istio-sidecar' && x.kind === 'sidecar');
    expect(m).toBeDefined();
    // 3 tiers x (1 client + 2 servers) = 9 points, at 50..1000 RPS.
    expect(m?.points).toBe(9);
    expect([m?.rpsMin, m?.rpsMax]).toEqual([50, 1000]);
    // 0.1 millicores per RPS; with ~1% noise on each mean, within 5% of the slope.
    expect(m?.cpu.slopePerRps).toBeGreaterThan(LINEAR_LOADS.sidecar.cpu[1] * 0.95);
    expect(m?.cpu.slopePerRps).toBeLessThan(LINEAR_LOADS.sidecar.cpu[1] * 1.05);
    expect(m?.cpu.r2).toBeGreaterThan(0.99);
    expect(m?.flags).toEqual([]);
  });

  it('falls back to proportional CPU and flat memory with a single RPS level, and says so', () => {
    const m = fitModel('istio-waypoint', 'waypoint', [pt(500, 40, 60), pt(500, 44, 64)]);
    expect(m.cpu).toEqual({ intercept: 0, slopePerRps: 42 / 500, r2: null, method: 'proportional' });
    expect(m.mem).toEqual({ intercept: 62, slopePerRps: 0, r2: null, method: 'flat' });
    expect(m.flags).toContain('single-rps-level');
  });

  it('flags a weak or negative CPU fit', () => {
    const noisy = fitModel('istio-sidecar', 'sidecar', [pt(100, 50), pt(200, 10), pt(300, 60), pt(400, 12)]);
    expect(noisy.cpu.r2).toBeLessThan(WEAK_FIT_R2);
    expect(noisy.flags).toContain('weak-cpu-fit');
    const falling = fitModel('istio-sidecar', 'sidecar', [pt(100, 50), pt(1000, 20)]);
    expect(falling.flags).toContain('negative-cpu-slope');
    // Never predicts negative usage.
    expect(predict(falling.cpu, 100_000)).toBe(0);
  });

  it('calls RPS outside the measured range extrapolation, above and below', () => {
    const m = fitModel('istio-sidecar', 'sidecar', [pt(50, 7), pt(1000, 102)]);
    expect(extrapolation(m, [1000, 50])).toMatchObject({ above: false, below: false });
    expect(extrapolation(m, [1000.5])).toMatchObject({ above: true, below: false });
    expect(extrapolation(m, [10, 500])).toMatchObject({ above: false, below: true });
  });
});
