import type { TopLevelSpec } from 'vega-lite';
import { metricDefinition } from '../../compare/metrics.js';
import type { MetricId, MetricUnit } from '../../compare/types.js';
import type { History, HistorySeries } from '../../history/types.js';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from '../run/charts/chart.js';
import { modeColourScale } from '../shared/mode-colours.js';

export interface HistoryChart {
  metric: MetricId;
  /** Element id in the page. */
  id: string;
  title: string;
  description: string;
  spec: TopLevelSpec;
}

const REGRESSION_COLOUR = '#cf222e';
const IMPROVEMENT_COLOUR = '#1a7f37';

/** Error rate is a ratio; a person reads it in percent. Everything else keeps its unit. */
export function chartScale(unit: MetricUnit): { factor: number; unit: string } {
  switch (unit) {
    case 'ratio':
      return { factor: 100, unit: '%' };
    case 'millicores':
      return { factor: 1, unit: 'millicores' };
    default:
      return { factor: 1, unit };
  }
}

interface Row {
  startedAt: string;
  runId: string;
  mode: string;
  tier: string;
  value: number;
  noise: number | null;
  change: 'regression' | 'improvement' | null;
  changeText: string | null;
}

function rows(h: History, series: readonly HistorySeries[]): Row[] {
  return series.flatMap((s) => {
    const { factor } = chartScale(s.unit);
    return s.points.map((p) => {
      const cp = s.changePoints.find((c) => c.run === p.run);
      const run = h.runs[p.run];
      return {
        startedAt: run?.startedAt ?? '',
        runId: run?.runId ?? '',
        mode: s.mode,
        tier: s.tier,
        value: p.value * factor,
        noise: p.noise === null ? null : p.noise * factor,
        change: cp?.kind ?? null,
        changeText: cp
          ? `${cp.kind}: ${(cp.before * factor).toPrecision(4)} -> ${(cp.after * factor).toPrecision(4)}`
          : null,
      };
    });
  });
}

/**
 * One chart per metric: nights on x, the figure on y, a line per mode (the report's mode colours), a panel
 * per tier; the first night of each change point marked with a triangle and a dashed rule (red up, a
 * regression; green down, an improvement).
 */
export function historyCharts(h: History): HistoryChart[] {
  const metrics = [...new Set(h.series.map((s) => s.metric))];
  return metrics.map((metric) => {
    const def = metricDefinition(metric);
    const series = h.series.filter((s) => s.metric === metric);
    const modes = [...new Set(series.map((s) => s.mode))];
    const tiers = [...new Set(series.map((s) => s.tier))];
    const { unit } = chartScale(def.unit);
    const colour = {
      condition: { test: "datum.change === 'regression'", value: REGRESSION_COLOUR },
      value: IMPROVEMENT_COLOUR,
    };
    const x = { field: 'startedAt', type: 'temporal' as const, title: 'run started' };
    const spec: TopLevelSpec = {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      title: { text: `${def.label} (${unit})`, subtitle: def.description },
      data: { values: rows(h, series) as unknown as Record<string, unknown>[] },
      facet: { column: { field: 'tier', type: 'nominal', sort: tiers, title: null } },
      spec: {
        width: 300,
        height: 180,
        layer: [
          {
            mark: { type: 'line', point: true, strokeWidth: 1.5 },
            encoding: {
              x,
              y: {
                field: 'value',
                type: 'quantitative',
                title: `${def.label} (${unit})`,
                scale: { zero: false },
              },
              color: { field: 'mode', type: 'nominal', scale: modeColourScale(modes), title: 'mode' },
              tooltip: [
                { field: 'runId', title: 'run' },
                { field: 'startedAt', type: 'temporal', title: 'started', format: '%Y-%m-%d %H:%M' },
                { field: 'mode' },
                { field: 'value', type: 'quantitative', format: '.4~r', title: unit },
                { field: 'noise', type: 'quantitative', format: '.3~r', title: 'run noise' },
              ],
            },
          },
          {
            transform: [{ filter: 'datum.change !== null' }],
            mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1 },
            encoding: { x, color: colour },
          },
          {
            transform: [{ filter: 'datum.change !== null' }],
            mark: { type: 'point', filled: true, size: 140, opacity: 1 },
            encoding: {
              x,
              y: { field: 'value', type: 'quantitative' },
              shape: {
                condition: { test: "datum.change === 'regression'", value: 'triangle-up' },
                value: 'triangle-down',
              },
              color: colour,
              tooltip: [
                { field: 'changeText', title: 'change point' },
                { field: 'mode' },
                { field: 'runId', title: 'first run at new level' },
              ],
            },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    };
    return {
      metric,
      id: `history-${metric}`,
      title: def.label,
      description: `${def.label} per night, a line per mode and a panel per tier; triangles mark change points.`,
      spec,
    };
  });
}
