import type { TopLevelSpec } from 'vega-lite';
import { predict } from '../../size/fit.js';
import { kindLabel, PROXY_KINDS } from '../../size/proxy-kind.js';
import type { SizingReport } from '../../size/types.js';
import { CHART_CONFIG, modeColour, VEGA_LITE_SCHEMA } from '../run/charts/chart.js';
import { WARNING_SIGN } from '../shared/format.js';

/** The sizing's charts as Vega-Lite specs: pure data, drawn by the HTML page (and checked by tests in Node). */
export interface SizingChart {
  id: 'size-cost' | 'size-models';
  title: string;
  description: string;
  spec: TopLevelSpec;
}

const TODAY = 'App Mesh today';

/** Reserved and in-use monthly cost per mode, with today's App Mesh as a dashed line to compare against. */
export function costChart(r: SizingReport): SizingChart | null {
  if (r.modes.length === 0) return null;
  const label = (m: (typeof r.modes)[number]) =>
    m.extrapolatedAbove > 0 ? `${m.mode} ${WARNING_SIGN}` : m.mode;
  const labels = [TODAY, ...r.modes.map(label)];
  const values = [
    { label: TODAY, basis: 'reserved', usd: r.today.reservedMonthly.totalUsd },
    ...r.modes.flatMap((m) => [
      { label: label(m), basis: 'reserved', usd: m.totals.reservedMonthly.totalUsd },
      { label: label(m), basis: 'in use', usd: m.totals.expectedMonthly.totalUsd },
    ]),
  ];
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Proxy cost per month',
      subtitle: `Reserved (requests) and expected in use; dashed: App Mesh today. ${WARNING_SIGN}: some proxies sized above the measured RPS range.`,
    },
    width: 520,
    height: { step: 16 },
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: labels, title: null },
          yOffset: { field: 'basis', type: 'nominal', sort: ['reserved', 'in use'] },
          x: { field: 'usd', type: 'quantitative', title: 'USD per month', axis: { format: '$,.0f' } },
          color: {
            field: 'basis',
            type: 'nominal',
            scale: { domain: ['reserved', 'in use'], range: ['#0072b2', '#9ecae1'] },
            legend: { title: null },
          },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'mode' },
            { field: 'basis', type: 'nominal', title: 'basis' },
            { field: 'usd', type: 'quantitative', title: 'USD per month', format: '$,.2f' },
          ],
        },
      },
      {
        data: { values: [{ usd: r.today.reservedMonthly.totalUsd }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#e69f00', strokeWidth: 1.5 },
        encoding: { x: { field: 'usd', type: 'quantitative' } },
      },
    ],
    config: CHART_CONFIG,
  };
  return {
    id: 'size-cost',
    title: 'Proxy cost per month',
    description:
      'Monthly cost of the proxies per mode: reserved requests and expected use, against App Mesh today.',
    spec,
  };
}

interface ModelDatum {
  kind: string;
  mode: string;
  rps: number;
  cpu: number;
  layer: 'measured' | 'fit';
  segment?: 'measured range' | 'extrapolated';
  seg?: string;
  source?: string;
  tier?: string;
}

/** Highest RPS any row of this mode and kind is sized for: how far the fitted line is drawn. */
function sizedMax(r: SizingReport, mode: string, kind: string): number {
  let max = 0;
  for (const x of r.modes.find((m) => m.mode === mode)?.rows ?? [])
    if (x.kind === kind && x.peakRps > max) max = x.peakRps;
  return max;
}

/** Measured CPU against RPS per proxy kind, with each fitted line: solid where measured, dashed where extrapolated. */
export function modelsChart(r: SizingReport): SizingChart | null {
  if (r.models.length === 0) return null;
  const values: ModelDatum[] = r.points.map((p) => ({
    kind: kindLabel(p.kind),
    mode: p.mode,
    rps: p.rps,
    cpu: p.cpuMillicores,
    layer: 'measured',
    source: p.source,
    tier: p.tier,
  }));
  for (const m of r.models) {
    const hi = Math.max(m.rpsMax, sizedMax(r, m.mode, m.kind));
    const segments: [number, number, 'measured range' | 'extrapolated'][] = [];
    if (m.rpsMin > 0) segments.push([0, m.rpsMin, 'extrapolated']);
    segments.push([m.rpsMin, m.rpsMax, 'measured range']);
    if (hi > m.rpsMax) segments.push([m.rpsMax, hi, 'extrapolated']);
    segments.forEach(([a, b, segment], i) => {
      for (const rps of [a, b])
        values.push({
          kind: kindLabel(m.kind),
          mode: m.mode,
          rps,
          cpu: predict(m.cpu, rps),
          layer: 'fit',
          segment,
          seg: `${m.mode}/${m.kind}/${i}`,
        });
    });
  }
  const modes = [...new Set(r.models.map((m) => m.mode as string))];
  const kinds = PROXY_KINDS.filter((k) => r.models.some((m) => m.kind === k)).map(kindLabel);
  const x = { field: 'rps', type: 'quantitative' as const, title: 'RPS through the proxy' };
  const y = { field: 'cpu', type: 'quantitative' as const, title: 'CPU (millicores)' };
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Proxy CPU against RPS',
      subtitle:
        'Points: measured (mean per proxy per tier). Lines: fitted models; dashed beyond the measured range, as far as the inventory needs.',
    },
    data: { values: values as unknown as Record<string, unknown>[] },
    facet: { column: { field: 'kind', type: 'nominal', sort: kinds, title: null } },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 240,
      height: 200,
      layer: [
        {
          transform: [{ filter: "datum.layer === 'fit'" }],
          mark: { type: 'line' },
          encoding: {
            x,
            y,
            color: modeColour(modes),
            strokeDash: {
              field: 'segment',
              type: 'nominal',
              scale: {
                domain: ['measured range', 'extrapolated'],
                range: [
                  [1, 0],
                  [4, 3],
                ],
              },
              legend: { title: null },
            },
            detail: { field: 'seg', type: 'nominal' },
          },
        },
        {
          transform: [{ filter: "datum.layer === 'measured'" }],
          mark: { type: 'point', filled: true, size: 36 },
          encoding: {
            x,
            y,
            color: modeColour(modes),
            tooltip: [
              { field: 'mode', type: 'nominal' },
              { field: 'tier', type: 'nominal' },
              { field: 'rps', type: 'quantitative', format: ',.1f', title: 'RPS' },
              { field: 'cpu', type: 'quantitative', format: ',.1f', title: 'CPU (m)' },
              { field: 'source', type: 'nominal', title: 'results' },
            ],
          },
        },
      ],
    },
    config: CHART_CONFIG,
  };
  return {
    id: 'size-models',
    title: 'Proxy CPU against RPS',
    description: 'Measured CPU per proxy against the RPS through it, with the fitted lines used for sizing.',
    spec,
  };
}

export function sizingCharts(r: SizingReport): SizingChart[] {
  return [costChart(r), modelsChart(r)].filter((c): c is SizingChart => c !== null);
}
