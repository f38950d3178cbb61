import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../src/compare/compatibility.js';
import { compareRuns } from '../../src/compare/compare.js';
import { thrownUserError } from '../helpers/user-error.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { syntheticResults, type SyntheticOptions } from '../helpers/synthetic-results.js';

// Small runs: these tests are about which modes and tiers are compared, not about the figures.
const FAST = { bootstrapIterations: 50 };
const run = (o: SyntheticOptions = {}): ResultsFile =>
  syntheticResults({
    tiers: [{ name: 'low' }, { name: 'medium' }],
    repetitions: 2,
    ...o,
    latency: { kind: 'constant', valueUs: 1000, count: 50 },
  });

describe('checkCompatibility', () => {
  it('finds nothing but notes between two runs of the same spec', () => {
    const c = checkCompatibility(run({ seed: 1 }), run({ seed: 2 }));
    expect(c.partial).toBe(false);
    expect(c.modes).toEqual(['baseline', 'istio-sidecar', 'istio-ambient']);
    expect(c.tiers).toEqual(['low', 'medium']);
    expect(c.differences).toEqual([{ subject: 'seed', baseline: '1', candidate: '2', impact: 'note' }]);
  });

  it('excludes a tier defined differently and modes or tiers only one run has', () => {
    const a = run({ modes: ['baseline', 'istio-sidecar'] });
    const b = run({
      modes: ['baseline', 'istio-ambient'],
      tiers: [{ name: 'low', rps: 80 }, { name: 'high' }],
    });
    const c = checkCompatibility(a, b);
    expect(c.modes).toEqual(['baseline']);
    expect(c.tiers).toEqual([]);
    const subjects = c.differences.filter((d) => d.impact === 'excludes').map((d) => d.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'mode istio-sidecar',
        'mode istio-ambient',
        'tier medium',
        'tier high',
        'tier low: rps',
      ]),
    );
  });

  it('excludes the modes with proxies when the proxy version differs, and keeps baseline', () => {
    const b = run();
    b.environment.proxy.version = '2.8.1';
    for (const t of b.topology) for (const p of t.proxies) p.implementation = 'haproxy 2.8.1';
    const c = checkCompatibility(run(), b);
    expect(c.modes).toEqual(['baseline']);
    expect(c.differences).toContainEqual({
      subject: 'proxy',
      baseline: 'haproxy 2.6.12',
      candidate: 'haproxy 2.8.1',
      impact: 'excludes',
    });
  });

  it('refuses another platform or load engine outright', () => {
    const b = run();
    b.environment.engine.name = 'k6';
    expect(checkCompatibility(run(), b).differences[0]).toMatchObject({
      subject: 'engine',
      impact: 'refuses',
    });
  });

  it('notes what may explain a change without blocking it: app delay, repetitions, prices, host', () => {
    const b = run({ repetitions: 3 });
    b.spec.app.delayMs = 5;
    b.environment.cpuModel = 'Other CPU';
    const notes = checkCompatibility(run(), b)
      .differences.filter((d) => d.impact === 'note')
      .map((d) => d.subject);
    expect(notes).toEqual(expect.arrayContaining(['repetitions', 'app.delayMs', 'host CPU']));
  });
});

describe('compareRuns refuses incomparable runs with the list of differences', () => {
  it('different tiers: refused without --allow-partial, compared where comparable with it', () => {
    const a = run();
    const b = run({ tiers: [{ name: 'low' }, { name: 'high' }] });
    const e = thrownUserError(() => compareRuns(a, b, { analysis: FAST }));
    expect(e.message).toMatch(/different specs/);
    expect(e.problems).toEqual([
      'tier medium: baseline measured, candidate absent (not comparable)',
      'tier high: baseline absent, candidate measured (not comparable)',
    ]);
    expect(e.fix).toMatch(/--allow-partial/);

    const c = compareRuns(a, b, { allowPartial: true, analysis: FAST });
    expect(c.compatibility.partial).toBe(true);
    expect(new Set(c.metrics.map((m) => m.tier))).toEqual(new Set(['low']));
  });

  it('another platform is refused even with --allow-partial', () => {
    const b = run({ platform: 'kubernetes' });
    const e = thrownUserError(() => compareRuns(run(), b, { allowPartial: true, analysis: FAST }));
    expect(e.problems).toContain('platform: baseline local, candidate kubernetes (nothing can be compared)');
  });

  it('nothing in common is refused even with --allow-partial', () => {
    const e = thrownUserError(() =>
      compareRuns(run({ modes: ['istio-sidecar'] }), run({ modes: ['istio-ambient'] }), {
        allowPartial: true,
        analysis: FAST,
      }),
    );
    expect(e.message).toMatch(/no mode and tier in common/);
  });

  it('a mode without baseline in one run loses its latency added rows there, not its other figures', () => {
    const a = run({ modes: ['baseline', 'istio-sidecar'] });
    const b = run({ modes: ['istio-sidecar'] });
    const c = compareRuns(a, b, { allowPartial: true, analysis: FAST });
    const added = c.metrics.filter((m) => m.metric.startsWith('added-'));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((m) => m.reason === 'no-data' && !m.judged && m.candidate === null)).toBe(true);
    expect(c.metrics.some((m) => m.metric === 'latency-p99' && m.judged)).toBe(true);
  });
});
