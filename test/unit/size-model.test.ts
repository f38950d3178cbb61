import { describe, expect, it } from 'vitest';
import { monthlyCost } from '../../src/cost/resource-cost.js';
import { parseInventory } from '../../src/size/inventory-parse.js';
import { sizingInputs } from '../../src/size/inputs.js';
import { sizeInventory } from '../../src/size/size-inventory.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { HAND_INVENTORY_CSV, HAND_INVENTORY_YAML, linearLoadResults } from '../helpers/size-fixtures.js';

/**
 * The hand-computed inventory of test/helpers/size-fixtures.ts, sized from results whose proxies follow known
 * lines (sidecar CPU 2 + 0.1 x RPS, memory 40 + 0.02 x RPS; node proxy 5 + 0.05x, 20 + 0.01x; waypoint
 * 10 + 0.2x, 50 + 0.05x), with headroom 0.5, limits x2 CPU / x1.5 memory, minimum 10m / 32Mi.
 * Every expected figure below is worked out by hand in the comments.
 */
function sized(text = HAND_INVENTORY_YAML, format: 'yaml' | 'csv' = 'yaml') {
  const inventory = parseInventory(text, format, `inventory.${format}`);
  const inputs = sizingInputs([{ path: 'results.json', results: linearLoadResults() }], { headroom: 0.5 });
  return sizeInventory({
    inventory,
    models: inputs.models,
    modes: ['istio-sidecar', 'istio-ambient', 'istio-waypoint'],
    settings: inputs.settings,
    prices: inputs.prices,
    results: inputs.sources,
    warnings: inputs.warnings,
  });
}

// The fit recovers the exact lines (r^2 = 1), up to floating-point noise far below a millicore.
const CLOSE = 6;

describe('size: a hand-computed inventory', () => {
  const report = sized();
  const mode = (m: string) => {
    const found = report.modes.find((x) => x.mode === m);
    if (!found) throw new Error(`no ${m}`);
    return found;
  };

  it('sizes each sidecar from the model at its peak RPS plus headroom', () => {
    const rows = mode('istio-sidecar').rows;
    // checkout: peak 200 -> CPU 2 + 20 = 22 x 1.5 = 33m, limit 66m; memory 40 + 4 = 44 x 1.5 = 66Mi, limit 99Mi.
    // cart: peak 1400 -> CPU 142 x 1.5 = 213m, limit 426m; memory 68 x 1.5 = 102Mi, limit 153Mi.
    // frontend: peak 60 -> CPU 8 x 1.5 = 12m, limit 24m; memory 41.2 x 1.5 = 61.8 -> 62Mi, limit 93Mi.
    expect(
      rows.map((r) => [
        r.name,
        r.requests.cpuMillicores,
        r.limits.cpuMillicores,
        r.requests.memMiB,
        r.limits.memMiB,
      ]),
    ).toEqual([
      ['checkout', 33, 66, 66, 99],
      ['cart', 213, 426, 102, 153],
      ['frontend', 12, 24, 62, 93],
    ]);
    // Expected in use at average RPS: checkout 2 + 10 = 12m / 42Mi, cart 62m / 52Mi, frontend 4m / 40.4Mi.
    expect(rows[0]?.expectedPerInstance.cpuMillicores).toBeCloseTo(12, CLOSE);
    expect(rows[1]?.expectedPerInstance.memMiB).toBeCloseTo(52, CLOSE);
    expect(rows[2]?.expectedPerInstance.memMiB).toBeCloseTo(40.4, CLOSE);
  });

  it('adds up reserved and expected totals and prices them', () => {
    const t = mode('istio-sidecar').totals;
    // Reserved: 4 x 33 + 2 x 213 + 3 x 12 = 594m; 4 x 66 + 2 x 102 + 3 x 62 = 654Mi.
    expect(t.proxies).toBe(9);
    expect(t.reserved.cpuMillicores).toBe(594);
    expect(t.reserved.memMiB).toBe(654);
    // In use: 4 x 12 + 2 x 62 + 3 x 4 = 184m; 4 x 42 + 2 x 52 + 3 x 40.4 = 393.2Mi.
    expect(t.expected.cpuMillicores).toBeCloseTo(184, CLOSE);
    expect(t.expected.memMiB).toBeCloseTo(393.2, CLOSE);
    // (0.594 vCPU x 0.031611 + 654/1024 GiB x 0.004237) x 730 h.
    const p = DEFAULT_SPEC.prices;
    expect(t.reservedMonthly.totalUsd).toBeCloseTo(
      (0.594 * p.vcpuHourUsd + (654 / 1024) * p.gibHourUsd) * p.hoursPerMonth,
      9,
    );
  });

  it("compares with today's App Mesh Envoys, assuming controller defaults where the inventory is silent", () => {
    // checkout 4 x 100m/128Mi + cart 2 x 10m/32Mi + frontend 3 x 10m/32Mi = 450m, 672Mi.
    expect(report.today.reserved).toEqual({ cpuMillicores: 450, memMiB: 672 });
    expect(report.today.assumedDefaults).toEqual(['shop/cart', 'web/frontend']);
    const c = mode('istio-sidecar').change;
    expect(c.cpuMillicores).toBe(594 - 450);
    expect(c.memMiB).toBe(654 - 672);
    expect(c.monthlyUsd).toBeCloseTo(
      monthlyCost({ cpuMillicores: 594, memMiB: 654 }, DEFAULT_SPEC.prices).totalUsd -
        monthlyCost({ cpuMillicores: 450, memMiB: 672 }, DEFAULT_SPEC.prices).totalUsd,
      9,
    );
  });

  it('shares one node proxy per node, sized for the busiest node', () => {
    // Pool m5.large: 3 nodes (frontend's). checkout on nodes 1-2 (2 pods each), cart on nodes 3 and 1, frontend
    // on 2, 3, 1. Peak RPS per node: node 1 = 400 + 1400 + 60 = 1860, node 2 = 400 + 60 = 460, node 3 = 1460.
    const [z] = mode('istio-ambient').rows;
    expect(z?.instances).toBe(3);
    expect(z?.peakRps).toBe(1860);
    // Busiest node: CPU 5 + 93 = 98 x 1.5 = 147m, limit 294m; memory 20 + 18.6 = 38.6 x 1.5 = 57.9 -> 58Mi, limit 87Mi.
    expect([
      z?.requests.cpuMillicores,
      z?.limits.cpuMillicores,
      z?.requests.memMiB,
      z?.limits.memMiB,
    ]).toEqual([147, 294, 58, 87]);
    // Average RPS per node 820, 220, 620: in use 3 x 5 + 0.05 x 1660 = 98m, 3 x 20 + 0.01 x 1660 = 76.6Mi.
    expect(z?.expected.cpuMillicores).toBeCloseTo(98, CLOSE);
    expect(z?.expected.memMiB).toBeCloseTo(76.6, CLOSE);
    expect(mode('istio-ambient').totals.reserved).toEqual({ cpuMillicores: 441, memMiB: 174 });
  });

  it('puts one waypoint per namespace, sized for the namespace', () => {
    const w = mode('istio-waypoint').rows.filter((r) => r.kind === 'waypoint');
    // shop: peak 4 x 200 + 2 x 1400 = 3600 -> CPU 730 x 1.5 = 1095m; memory 230 x 1.5 = 345Mi, limit 517.5 -> 518Mi.
    // web: peak 180 -> CPU 46 x 1.5 = 69m; memory 59 x 1.5 = 88.5 -> 89Mi, limit 133.5 -> 134Mi.
    expect(
      w.map((r) => [r.namespace, r.peakRps, r.requests.cpuMillicores, r.requests.memMiB, r.limits.memMiB]),
    ).toEqual([
      ['shop', 3600, 1095, 345, 518],
      ['web', 180, 69, 89, 134],
    ]);
    // ztunnel 441m/174Mi + waypoints 1095 + 69 = 1164m, 345 + 89 = 434Mi.
    expect(mode('istio-waypoint').totals.reserved).toEqual({ cpuMillicores: 1605, memMiB: 608 });
    // In use: ztunnel 98m + shop 10 + 0.2 x 1600 = 330m + web 10 + 0.2 x 60 = 22m.
    expect(mode('istio-waypoint').totals.expected.cpuMillicores).toBeCloseTo(450, CLOSE);
  });

  it('flags every row sized outside the measured RPS range', () => {
    // Sidecars were measured at 50..1000 RPS, node proxies at 50..1500, waypoints at 100..1000.
    const flagged = report.extrapolated.map(
      (e) => `${e.mode} ${e.namespace ?? '-'}/${e.name} ${e.above ? 'above' : ''}${e.below ? 'below' : ''}`,
    );
    expect(flagged).toEqual([
      'istio-sidecar shop/cart above', // peak 1400 > 1000
      'istio-sidecar web/frontend below', // average 20 < 50
      'istio-ambient -/ztunnel above', // busiest node 1860 > 1500
      'istio-waypoint -/ztunnel above',
      'istio-waypoint shop/waypoint above', // 3600 > 1000
      'istio-waypoint web/waypoint below', // average 60 < 100
    ]);
  });

  it('reads the same inventory from CSV to the same sizing', () => {
    const fromCsv = sized(HAND_INVENTORY_CSV, 'csv');
    expect(fromCsv.modes.map((m) => m.totals)).toEqual(report.modes.map((m) => m.totals));
    expect(fromCsv.today).toEqual(report.today);
  });

  it('applies the minimum when the model asks for less', () => {
    const inventory = parseInventory(
      'services:\n  - { name: idle, namespace: a, replicas: 1, peakRpsPerPod: 0, avgRpsPerPod: 0, nodes: 1 }\n',
      'yaml',
      'idle.yaml',
    );
    const inputs = sizingInputs([{ path: 'r.json', results: linearLoadResults() }], {
      minCpuMillicores: 25,
      minMemMiB: 64,
    });
    const r = sizeInventory({
      inventory,
      models: inputs.models,
      modes: ['istio-sidecar'],
      settings: inputs.settings,
      prices: inputs.prices,
      results: inputs.sources,
    });
    const row = r.modes[0]?.rows[0];
    // Model at 0 RPS: 2m x 1.3 = 2.6m < 25m; 40Mi x 1.3 = 52Mi < 64Mi.
    expect(row?.requests).toEqual({ cpuMillicores: 25, memMiB: 64 });
    expect(row?.floored).toEqual({ cpu: true, mem: true });
  });
});
