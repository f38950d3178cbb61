import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import type { Analysis } from '../../src/analysis/types.js';
import { tierLabel } from '../../src/report/run/charts/chart.js';
import { compileChart } from '../../src/report/shared/compile-chart.js';
import { costChart, costRows } from '../../src/report/run/charts/cost.js';
import { buildCharts, type ChartDefinition } from '../../src/report/run/charts/index.js';
import { latencyAddedChart, latencyAddedRows, VERDICTS } from '../../src/report/run/charts/latency-added.js';
import { latencySpectrumChart, spectrumRows } from '../../src/report/run/charts/latency-spectrum.js';
import { loadChart, loadRows } from '../../src/report/run/charts/load.js';
import { modeColour } from '../../src/report/shared/mode-colours.js';
import { proxyResourcesChart, proxyResourceRows } from '../../src/report/run/charts/proxy-resources.js';
import { renderSvg } from '../../src/report/run/svg.js';
import { syntheticResults, type SyntheticOptions } from '../helpers/synthetic-results.js';

// Sidecar adds a known 2 ms at every percentile (constant values per repetition), ambient adds nothing (the
// same values as baseline); the proxy load differs by repetition so that min-max whiskers have a width; appmesh
// misses its rate at the high tier.
const opts: SyntheticOptions = {
  modes: ['baseline', 'istio-sidecar', 'istio-ambient', 'appmesh'],
  tiers: [{ name: 'low' }, { name: 'high' }],
  repetitions: 3,
  latency: (c) => ({
    kind: 'constant',
    valueUs: (c.mode === 'istio-sidecar' ? 3000 : 1000) + 10 * c.repetition,
    count: 200,
  }),
  proxyLoad: (_p, c) => ({ cpuMillicores: 40 + 10 * c.repetition, memMiB: 64 }),
  cell: (c) => (c.mode === 'appmesh' && c.tier === 'high' ? { achievedRps: 1500 } : {}),
};

function analysisOf(o: SyntheticOptions = opts): Analysis {
  return analyze(syntheticResults(o), { bootstrapIterations: 200 });
}

function valuesOf<T>(def: ChartDefinition): T[] {
  const data = (def.spec as { data?: { values?: unknown } }).data;
  if (!data || !Array.isArray(data.values)) throw new Error(`${def.id}: no inline data`);
  return data.values as T[];
}

/** Every object nested anywhere in a spec, for finding encodings without restating the layout. */
function walk(node: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

function encodings(def: ChartDefinition): Record<string, Record<string, unknown>>[] {
  const out: Record<string, Record<string, unknown>>[] = [];
  walk(def.spec, (o) => {
    if (o.encoding && typeof o.encoding === 'object')
      out.push(o.encoding as Record<string, Record<string, unknown>>);
  });
  return out;
}

describe('chart spec builders', () => {
  const analysis = analysisOf();

  it('latency added: one row per percentile, mode and tier with the analysis figures and intervals', () => {
    const def = latencyAddedChart(analysis);
    if (!def) throw new Error('expected a chart');
    const rows = valuesOf<ReturnType<typeof latencyAddedRows>[number]>(def);
    // 3 modes with an overhead x 2 tiers x (P50, P99).
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const r = analysis.results.find((x) => x.mode === row.mode && x.tier === row.tier);
      const e = r?.overhead?.byPercentile[row.percentile === 'P50' ? 'p50' : 'p99'];
      if (!e?.ci) throw new Error(`no estimate for ${row.mode}/${row.tier}`);
      expect(row.addedMs).toBe(e.pointMs);
      expect(row.ciLowMs).toBe(e.ci.lowMs);
      expect(row.ciHighMs).toBe(e.ci.highMs);
      expect(row.baselineMs).toBe(e.baselineMs);
      expect(row.tierLabel).toBe(tierLabel(analysis.tiers.find((t) => t.name === row.tier)!));
    }
    // The figures themselves: sidecar +2 ms (HDR precision at 3 ms is 2 us: within 0.01 ms), ambient 0 and
    // within noise, so its bar is faded.
    const sidecar = rows.find(
      (r) => r.mode === 'istio-sidecar' && r.tier === 'low' && r.percentile === 'P50',
    );
    expect(sidecar?.addedMs).toBeCloseTo(2, 2);
    expect(sidecar?.verdict).toBe(VERDICTS.distinguishable);
    const ambient = rows.find(
      (r) => r.mode === 'istio-ambient' && r.tier === 'low' && r.percentile === 'P99',
    );
    expect(ambient?.addedMs).toBe(0);
    expect(ambient?.verdict).toBe(VERDICTS.noise);
    expect(rows.some((r) => r.mode === 'baseline')).toBe(false);
    // Interval fields drawn as whiskers (x from ciLowMs to x2 ciHighMs), bars faded by verdict.
    const whisker = encodings(def).find((e) => e.x?.field === 'ciLowMs');
    expect(whisker?.x2).toEqual({ field: 'ciHighMs' });
    expect(encodings(def).some((e) => e.opacity?.field === 'verdict')).toBe(true);
  });

  it('latency added: no interval with one repetition, no chart without baseline', () => {
    const single = latencyAddedRows(analysisOf({ ...opts, repetitions: 1 }));
    expect(single.length).toBeGreaterThan(0);
    for (const r of single) {
      expect(r.ciLowMs).toBeNull();
      expect(r.ciHighMs).toBeNull();
      expect(r.verdict).toBe(VERDICTS.single);
    }
    expect(latencyAddedChart(analysisOf({ ...opts, modes: ['istio-sidecar', 'appmesh'] }))).toBeNull();
  });

  it('spectrum: p50..p99.99 of the merged histogram per mode and tier, on log scales', () => {
    const def = latencySpectrumChart(analysis);
    if (!def) throw new Error('expected a chart');
    const rows = valuesOf<ReturnType<typeof spectrumRows>[number]>(def);
    expect(rows).toHaveLength(4 * 2 * 5);
    const keys = { p50: 'p50', p90: 'p90', p99: 'p99', 'p99.9': 'p999', 'p99.99': 'p9999' } as const;
    for (const row of rows) {
      const r = analysis.results.find((x) => x.mode === row.mode && x.tier === row.tier);
      expect(row.latencyMs).toBe(r?.latency?.mergedMs[keys[row.percentile as keyof typeof keys]]);
    }
    expect([...new Set(rows.map((r) => r.oneInN))]).toEqual([2, 10, 100, 1000, 10000]);
    const x = encodings(def).find((e) => e.x?.field === 'oneInN')?.x as { scale?: { type?: string } };
    const y = encodings(def).find((e) => e.y?.field === 'latencyMs')?.y as { scale?: { type?: string } };
    expect(x.scale?.type).toBe('log');
    expect(y.scale?.type).toBe('log');
  });

  it('proxy resources per 1000 RPS: every mode but baseline, with min-max over repetitions', () => {
    const def = proxyResourcesChart(analysis);
    if (!def) throw new Error('expected a chart');
    const rows = valuesOf<ReturnType<typeof proxyResourceRows>[number]>(def);
    expect(rows.map((r) => r.mode)).not.toContain('baseline');
    expect(rows).toHaveLength(3 * 2);
    for (const row of rows) {
      const per = analysis.results.find((x) => x.mode === row.mode && x.tier === row.tier)?.proxies
        .per1000Rps;
      expect(row.cpuMillicoresPer1000Rps).toBe(per?.cpuMillicores.mean);
      expect(row.cpuMinMillicoresPer1000Rps).toBe(per?.cpuMillicores.min);
      expect(row.cpuMaxMillicoresPer1000Rps).toBe(per?.cpuMillicores.max);
      expect(row.memMiBPer1000Rps).toBe(per?.memMiB.mean);
      // Repetitions used 50, 60 and 70 m per proxy: the whisker has a width.
      expect(row.cpuMaxMillicoresPer1000Rps).toBeGreaterThan(row.cpuMinMillicoresPer1000Rps);
    }
    const whiskers = encodings(def)
      .filter((e) => e.x2 !== undefined)
      .map((e) => [e.x?.field, e.x2?.field]);
    expect(whiskers).toContainEqual(['cpuMinMillicoresPer1000Rps', 'cpuMaxMillicoresPer1000Rps']);
    expect(whiskers).toContainEqual(['memMinMiBPer1000Rps', 'memMaxMiBPer1000Rps']);
  });

  it('cost: per pod per month (with spread) and for 100 pods', () => {
    const def = costChart(analysis);
    if (!def) throw new Error('expected a chart');
    const rows = valuesOf<ReturnType<typeof costRows>[number]>(def);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const c = analysis.results.find((x) => x.mode === row.mode && x.tier === row.tier)?.cost;
      expect(row.perPodMonthlyUsd).toBe(c?.perPodMonthly.totalUsd);
      expect(row.per100PodsMonthlyUsd).toBe(c?.per100PodsMonthly.totalUsd);
      expect(row.perPodMonthlyMinUsd).toBe(c?.perPodMonthlyUsdSpread.min);
      expect(row.per100PodsMonthlyUsd).toBeCloseTo(100 * row.perPodMonthlyUsd, 9);
    }
    const fields = encodings(def).map((e) => e.x?.field);
    expect(fields).toContain('perPodMonthlyUsd');
    expect(fields).toContain('per100PodsMonthlyUsd');
  });

  it('load: achieved vs target for every mode, with the rate-missed threshold', () => {
    const def = loadChart(analysis);
    if (!def) throw new Error('expected a chart');
    const rows = valuesOf<ReturnType<typeof loadRows>[number]>(def);
    expect(rows).toHaveLength(4 * 2);
    const missed = rows.find((r) => r.mode === 'appmesh' && r.tier === 'high');
    expect(missed).toMatchObject({ targetRps: 2000, achievedRps: 1500, achievedPercent: 75 });
    expect(missed?.rateMissedBelowRps).toBeCloseTo(2000 * (1 - analysis.options.rateTolerance), 9);
    expect(missed?.flags).toContain('rate-missed');
    expect(encodings(def).some((e) => e.strokeDash?.field === 'reference')).toBe(true);
  });

  it('gives every mode the same colour in every chart', () => {
    const charts = buildCharts(analysis);
    expect(charts.map((c) => c.id)).toEqual([
      'latency-added',
      'latency-spectrum',
      'proxy-resources',
      'cost',
      'load',
    ]);
    let checked = 0;
    for (const c of charts) {
      for (const e of encodings(c)) {
        const colour = e.color as
          { field?: string; scale?: { domain: string[]; range: string[] } } | undefined;
        if (colour?.field !== 'mode') continue;
        colour.scale?.domain.forEach((mode, i) => expect(colour.scale?.range[i]).toBe(modeColour(mode)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(charts.length);
    expect(
      new Set(['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'].map(modeColour))
        .size,
    ).toBe(5);
  });

  it('compiles every chart without a Vega-Lite warning, also for sparse runs', () => {
    const variants: SyntheticOptions[] = [
      opts,
      { ...opts, repetitions: 1 },
      { ...opts, modes: ['istio-sidecar', 'appmesh'] },
      { ...opts, cell: (c) => (c.mode === 'istio-ambient' && c.tier === 'low' ? { status: 'failed' } : {}) },
    ];
    for (const v of variants) {
      for (const c of buildCharts(analysisOf(v))) expect(compileChart(c.spec).warnings, c.id).toEqual([]);
    }
  });

  it('draws a bar per data row in the static SVG', async () => {
    const def = latencyAddedChart(analysis)!;
    const svg = await renderSvg(compileChart(def.spec).vega);
    expect(svg.startsWith('<svg')).toBe(true);
    // Vega's SVG output: each mark is a <g class="mark-rect role-mark ..."> holding one <path> per item.
    const groups = [...svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/g)];
    const bars = groups.reduce((n, g) => n + (g[1]?.match(/<path /g)?.length ?? 0), 0);
    expect(bars).toBe(valuesOf(def).length);
    expect(svg).toContain('P99 latency added (ms)');
  });
});
