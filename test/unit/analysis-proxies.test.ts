import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import type { Analysis, ModeTierAnalysis } from '../../src/analysis/types.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

function row(a: Analysis, mode: string, tier = 'medium'): ModeTierAnalysis {
  const r = a.results.find((x) => x.mode === mode && x.tier === tier);
  if (!r) throw new Error(`no row ${mode}/${tier}`);
  return r;
}

// 3 server replicas + 1 client = 4 pods on 2 nodes; medium tier: 500 RPS target, achieved = target.
const layout = { replicas: 3, nodes: 2, tiers: [{ name: 'medium' }] };

describe('proxy resources', () => {
  it('node proxies (ztunnel) are shared out over every pod of the run', () => {
    // 2 node proxies x 30 m / 20 MiB = 60 m / 40 MiB over 4 pods = 15 m / 10 MiB per pod.
    const a = analyze(syntheticResults({ ...layout, modes: ['baseline', 'istio-ambient'] }));
    const p = row(a, 'istio-ambient').proxies;
    expect(p).toMatchObject({ count: 2, pods: 4, nodes: 2 });
    expect(p.total?.cpuMillicores.mean).toBe(60);
    expect(p.perPod?.cpuMillicores.mean).toBe(15);
    expect(p.perPod?.memMiB.mean).toBe(10);
    expect(p.perPod?.byScope).toEqual({
      pod: { cpuMillicores: 0, memMiB: 0 },
      node: { cpuMillicores: 15, memMiB: 10 },
      namespace: { cpuMillicores: 0, memMiB: 0 },
    });
    expect(p.perNode?.nodes).toEqual([
      { node: 'node-1', cpuMillicores: 30, memMiB: 20 },
      { node: 'node-2', cpuMillicores: 30, memMiB: 20 },
    ]);
    expect(p.perNode?.mean.cpuMillicores.mean).toBe(30);
    // 60 m x 1000 / 500 RPS = 120 m per 1000 RPS; 40 MiB -> 80 MiB.
    expect(p.per1000Rps?.cpuMillicores.mean).toBe(120);
    expect(p.per1000Rps?.memMiB.mean).toBe(80);
  });

  it('waypoint plus node proxies: (2 x 30 + 80) / 4 pods = 35 m per pod', () => {
    const p = row(
      analyze(syntheticResults({ ...layout, modes: ['istio-waypoint'] })),
      'istio-waypoint',
    ).proxies;
    expect(p.perPod?.cpuMillicores.mean).toBe(35);
    expect(p.perPod?.byScope.namespace).toEqual({ cpuMillicores: 20, memMiB: 15 });
    expect(p.perPod?.byScope.node).toEqual({ cpuMillicores: 15, memMiB: 10 });
    expect(p.byRole.map((r) => [r.role, r.count, r.cpuMillicoresPer1000Rps])).toEqual([
      ['node-proxy', 2, 120],
      ['waypoint', 1, 160],
    ]);
  });

  it('sidecars: one per pod, so per pod equals one sidecar', () => {
    const p = row(
      analyze(syntheticResults({ ...layout, modes: ['istio-sidecar'] })),
      'istio-sidecar',
    ).proxies;
    expect(p.count).toBe(4);
    expect(p.perPod?.cpuMillicores.mean).toBe(50);
    expect(p.perPod?.byScope.pod).toEqual({ cpuMillicores: 50, memMiB: 40 });
    expect(p.perNode).toBeNull();
  });

  it('per proxy: mean, p95 and max over the pooled measure-window samples', () => {
    const cpu = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const mem = [40, 41, 42, 43, 44, 45, 46, 47, 48, 49];
    const results = syntheticResults({
      ...layout,
      modes: ['istio-sidecar'],
      repetitions: 1,
      proxyLoad: { cpuMillicores: 0, memMiB: 0, cpuSeriesMillicores: cpu, memSeriesMiB: mem },
    });
    const proxy = row(analyze(results), 'istio-sidecar').proxies.perProxy[0]!;
    // Mean 55; p95 (type 7): h = 9 x 0.95 = 8.55 -> 90 + 0.55 x 10 = 95.5; max 100. Memory mean 44.5, max 49.
    expect(proxy).toMatchObject({
      samples: 10,
      cpuMeanMillicores: 55,
      cpuMaxMillicores: 100,
      memMeanMiB: 44.5,
      memMaxMiB: 49,
    });
    expect(proxy.cpuP95Millicores).toBeCloseTo(95.5, 12);
    expect(proxy).toMatchObject({
      role: 'client-sidecar',
      scope: 'pod',
      pod: 'client',
      implementation: 'haproxy 2.6.12',
    });
  });

  it('spread over repetitions: node proxies at 10, 20, 30 m in repetitions 1, 2, 3', () => {
    const results = syntheticResults({
      ...layout,
      modes: ['istio-ambient'],
      proxyLoad: (_p, c) => ({ cpuMillicores: 10 * c.repetition, memMiB: 20 }),
    });
    const p = row(analyze(results), 'istio-ambient').proxies;
    // Totals 20, 40, 60 (mean 40, sd 20); per pod 5, 10, 15 (sd 5).
    expect(p.total?.cpuMillicores).toEqual({ n: 3, mean: 40, min: 20, max: 60, stddev: 20 });
    expect(p.perPod?.cpuMillicores).toEqual({ n: 3, mean: 10, min: 5, max: 15, stddev: 5 });
  });

  it('a repetition without samples is left out, with a warning', () => {
    const results = syntheticResults({
      ...layout,
      modes: ['istio-ambient'],
      cell: (c) => (c.repetition === 2 ? { proxySamples: false } : {}),
    });
    const a = analyze(results);
    expect(row(a, 'istio-ambient').proxies.total?.cpuMillicores.n).toBe(2);
    expect(
      a.warnings.some(
        (w) => w.includes('istio-ambient/medium repetition 2') && w.includes('no proxy samples'),
      ),
    ).toBe(true);
  });

  it('baseline: no proxies, zero usage, zero cost', () => {
    const r = row(analyze(syntheticResults({ ...layout, modes: ['baseline'] })), 'baseline');
    expect(r.proxies.count).toBe(0);
    expect(r.proxies.perPod?.cpuMillicores.mean).toBe(0);
    expect(r.cost?.perPodMonthly.totalUsd).toBe(0);
  });
});

describe('cost from measured usage', () => {
  it('sidecars at 100 m and 64 MiB: $2.50 per pod per month, $250.09 for 100 pods (OpenCost defaults)', () => {
    const results = syntheticResults({
      ...layout,
      modes: ['istio-sidecar'],
      proxyLoad: { cpuMillicores: 100, memMiB: 64 },
    });
    const c = row(analyze(results), 'istio-sidecar').cost!;
    // 0.1 x 0.031611 x 730 + 0.0625 x 0.004237 x 730 = 2.3076030 + 0.193313125
    expect(c.basis).toBe('measured-mean-usage');
    expect(c.perPodMonthly.cpuUsd).toBeCloseTo(2.307603, 9);
    expect(c.perPodMonthly.memUsd).toBeCloseTo(0.193313125, 9);
    expect(c.perPodMonthly.totalUsd).toBeCloseTo(2.500916125, 9);
    expect(c.per100PodsMonthly.totalUsd).toBeCloseTo(250.0916125, 7);
    expect(c.perPodMonthlyUsdSpread.stddev).toBe(0);
  });

  it('node proxies at 100 m / 64 MiB on 2 nodes over 4 pods: half of that per pod', () => {
    const results = syntheticResults({
      ...layout,
      modes: ['istio-ambient'],
      proxyLoad: { cpuMillicores: 100, memMiB: 64 },
    });
    const c = row(analyze(results), 'istio-ambient').cost!;
    expect(c.perPodMonthly.totalUsd).toBeCloseTo(2.500916125 / 2, 9);
  });

  it('uses the prices in the spec', () => {
    const prices = { vcpuHourUsd: 0.04, gibHourUsd: 0.005, hoursPerMonth: 720 };
    const results = syntheticResults({
      ...layout,
      modes: ['istio-sidecar'],
      prices,
      proxyLoad: { cpuMillicores: 250, memMiB: 512 },
    });
    // (0.25 x 0.04 + 0.5 x 0.005) x 720 = 9.00
    expect(row(analyze(results), 'istio-sidecar').cost!.perPodMonthly.totalUsd).toBeCloseTo(9, 9);
  });
});
