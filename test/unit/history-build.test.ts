import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { buildHistory, type HistoryInput } from '../../src/history/build.js';
import { compileChart } from '../../src/report/shared/compile-chart.js';
import { renderHistoryHtml } from '../../src/report/history/html.js';
import { renderHistoryMarkdown } from '../../src/report/history/markdown.js';
import { sparkline } from '../../src/report/history/sections.js';
import { historyCharts } from '../../src/report/history/charts.js';
import { syntheticResults, type SyntheticOptions } from '../helpers/synthetic-results.js';

const MODE_MEAN_US = { baseline: 1000, 'istio-sidecar': 1250, 'istio-ambient': 1500 } as const;

/** Night i of a nightly job: istio-ambient gets 30% slower from night `stepAt` on. */
function night(i: number, stepAt: number, extra: SyntheticOptions = {}): HistoryInput {
  const results = syntheticResults({
    seed: 100 + i,
    tiers: [{ name: 'low' }],
    latency: (c) => ({
      kind: 'normal',
      meanUs:
        MODE_MEAN_US[c.mode as keyof typeof MODE_MEAN_US] *
        (c.mode === 'istio-ambient' && i >= stepAt ? 1.3 : 1),
      sdUs: 20,
      count: 300,
    }),
    ...extra,
  });
  results.runId = `night-${i}`;
  results.startedAt = new Date(Date.UTC(2025, 0, 1 + i, 2)).toISOString();
  return {
    source: `night-${i}/results.json`,
    results,
    analysis: analyze(results, { bootstrapIterations: 50 }),
  };
}

const nights = Array.from({ length: 12 }, (_, i) => night(i, 7));
// Shuffled: the order files are found in must not matter.
const shuffled = [
  nights[5],
  nights[0],
  nights[11],
  nights[3],
  nights[8],
  nights[1],
  nights[10],
  nights[2],
  nights[9],
  nights[4],
  nights[7],
  nights[6],
] as HistoryInput[];

describe('buildHistory', () => {
  const h = buildHistory(shuffled);

  it('orders runs by start time and builds one series per mode x tier x metric', () => {
    expect(h.runs.map((r) => r.runId)).toEqual(nights.map((n) => n.results.runId));
    const p50 = h.series.filter((s) => s.metric === 'latency-p50');
    expect(p50.map((s) => s.mode)).toEqual(['baseline', 'istio-sidecar', 'istio-ambient']);
    expect(
      p50.every(
        (s) => s.points.length === 12 && s.points.map((p) => p.run).join() === [...Array(12).keys()].join(),
      ),
    ).toBe(true);
    // Baseline has no proxies and no latency added: 4 rows (latency x3, errors); the others 10.
    expect(h.series).toHaveLength(4 + 10 + 10);
  });

  it('marks the step in istio-ambient latency at night 7 and nothing else', () => {
    const marked = h.series.filter((s) => s.changePoints.length > 0);
    expect(marked.map((s) => `${s.mode} ${s.metric}`).sort()).toEqual(
      [
        'istio-ambient added-p50',
        'istio-ambient added-p99',
        'istio-ambient latency-p50',
        'istio-ambient latency-p99',
      ].sort(),
    );
    for (const s of marked) {
      expect(s.changePoints).toHaveLength(1);
      expect(s.changePoints[0]).toMatchObject({ run: 7, kind: 'regression' });
      expect(s.changePoints[0]?.change).toBeCloseTo(0.45, 1);
    }
  });

  it('filters metrics, modes and tiers, and warns when a tier changed definition', () => {
    const f = buildHistory(shuffled, { metrics: ['latency-p99'], modes: ['istio-ambient'] });
    expect(f.series.map((s) => `${s.mode} ${s.metric}`)).toEqual(['istio-ambient latency-p99']);
    const changed = buildHistory([night(0, 99), night(1, 99, { tiers: [{ name: 'low', rps: 80 }] })]);
    expect(changed.warnings.join('\n')).toMatch(
      /tier low is defined differently from run night-1 on \(was: rps 50/,
    );
  });
});

describe('history renderers', () => {
  const h = buildHistory(shuffled);

  it('Markdown: change points first, a table per metric with a sparkline per series', () => {
    const md = renderHistoryMarkdown(h);
    expect(md).toMatch(/## Change points\n\n\| {2}\| metric/);
    expect(md).toContain(
      '| \u25b2 regression | p50 latency | istio-ambient | low | 2025-01-08 night-7 | 1.50 ms | 1.95 ms | +0.45 ms (+30%) |',
    );
    expect(md).toMatch(
      /\| istio-ambient \| low \| 12 \| 1\.50 ms \| 1\.95 ms \| 1\.50 ms \| 1\.95 ms \| \u2581{7}\u2588{5} \| \u25b2 2025-01-08 \|/,
    );
    expect(md.match(/^## /gm)?.length).toBe(1 + 10 + 1);
  });

  it('sparkline: scaled to the series, flat series stay flat', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588');
    // Jitter of 0.1% is not drawn as a swing: the scale spans at least 10% of the magnitude.
    expect(new Set(sparkline([1, 1.001, 0.999, 1])).size).toBe(1);
    expect(sparkline([2, 2, 2])).toBe('\u2584\u2584\u2584');
    expect(sparkline([])).toBe('');
  });

  it('Vega-Lite specs compile without warnings, one per metric, with change points in the data', () => {
    const charts = historyCharts(h);
    expect(charts.map((c) => c.metric)).toEqual([...new Set(h.series.map((s) => s.metric))]);
    for (const c of charts) expect(compileChart(c.spec).warnings, c.id).toEqual([]);
    const p50 = charts.find((c) => c.metric === 'latency-p50');
    const values = (p50?.spec.data as { values: { mode: string; change: string | null; runId: string }[] })
      .values;
    expect(values.filter((v) => v.change !== null)).toEqual([
      expect.objectContaining({ mode: 'istio-ambient', change: 'regression', runId: 'night-7' }),
    ]);
  });

  it('HTML: self-contained (inlined libraries, no network), compiled charts and tables present', () => {
    const bundles = {
      vega: { name: 'vega', version: '5.0.0', source: '/* vega build */ var s = "</script>";' },
      vegaLite: { name: 'vega-lite', version: '5.0.0', source: '' },
      vegaEmbed: null,
    };
    const html = renderHistoryHtml(h, bundles);
    expect(html).toContain('/* vega build */ var s = "<\\/script>";'); // an inlined "</script" cannot end the element
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(html.match(/<figure class="chart" id="chart-history-/g)).toHaveLength(10);
    expect(html).toContain('<tr class="regression"><td>\u25b2 regression</td>');
    const charts = JSON.parse(
      /<script type="application\/json" id="meshbench-charts">(.*?)<\/script>/s.exec(html)?.[1] ?? '[]',
    ) as {
      id: string;
      vega: { $schema?: string };
    }[];
    expect(charts).toHaveLength(10);
    // Compiled to Vega in Node: the page needs no Vega-Lite compiler.
    expect(charts.every((c) => c.vega.$schema?.includes('/vega/v5'))).toBe(true);
  });
});
