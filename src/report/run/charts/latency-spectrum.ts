import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../../../analysis/types.js';
import { LATENCY_PERCENTILES } from '../../../stats/percentiles.js';
import {
  CHART_CONFIG,
  VEGA_LITE_SCHEMA,
  modeColour,
  modesIn,
  tierLabelOf,
  tierLabels,
  type ChartDefinition,
} from './chart.js';

/** p50 ... p99.99: every reported percentile but max, whose 1/(1 - q) is infinite. */
export const SPECTRUM_PERCENTILES = LATENCY_PERCENTILES.filter((p) => p.percentile < 100);

export interface SpectrumRow {
  mode: string;
  tier: string;
  tierLabel: string;
  /** "p99.9" */
  percentile: string;
  /**
   * 1 / (1 - q): one request in N is slower. The x position, on a log scale, as HdrHistogram's percentile
   * distribution plots do, so that p90, p99, p99.9 and p99.99 are evenly spaced. Rounded to an integer (2, 10,
   * 100, ...) so that axis ticks can be matched exactly.
   */
  oneInN: number;
  latencyMs: number;
}

export function spectrumRows(analysis: Analysis): SpectrumRow[] {
  const rows: SpectrumRow[] = [];
  for (const r of analysis.results) {
    if (!r.latency) continue;
    for (const p of SPECTRUM_PERCENTILES) {
      rows.push({
        mode: r.mode,
        tier: r.tier,
        tierLabel: tierLabelOf(analysis, r.tier),
        percentile: p.label,
        oneInN: Math.round(100 / (100 - p.percentile)),
        latencyMs: r.latency.mergedMs[p.key],
      });
    }
  }
  return rows;
}

/** Vega expression labelling the ticks at 1/(1 - q) with the percentile's name. */
function tickLabelExpr(): string {
  return (
    SPECTRUM_PERCENTILES.map(
      (p) => `datum.value == ${Math.round(100 / (100 - p.percentile))} ? '${p.label}' : `,
    ).join('') + "''"
  );
}

/**
 * Latency percentile spectrum per mode, one panel per tier: where the tail bends away from the median. Both
 * axes are logarithmic: x as 1/(1 - q); y because tails span orders of magnitude more than medians do.
 */
export function latencySpectrumChart(analysis: Analysis): ChartDefinition | null {
  const rows = spectrumRows(analysis);
  if (rows.length === 0) return null;
  const modes = modesIn(analysis, rows);
  const ticks = SPECTRUM_PERCENTILES.map((p) => Math.round(100 / (100 - p.percentile)));
  const x = {
    field: 'oneInN',
    type: 'quantitative' as const,
    // Padded a little beyond p50 and p99.99 so that the end points and their tick labels are not clipped.
    scale: {
      type: 'log' as const,
      domain: [(ticks[0] ?? 2) / 1.25, (ticks[ticks.length - 1] ?? 10000) * 1.4],
    },
    axis: { values: ticks, labelExpr: tickLabelExpr(), grid: true, title: 'percentile (log scale)' },
  };
  const y = {
    field: 'latencyMs',
    type: 'quantitative' as const,
    // 8 px of padding keeps the end points clear of the panel's edges; not "nice", which on a log scale rounds
    // out to whole decades and squeezes the lines into a third of the height.
    scale: { type: 'log' as const, nice: false, padding: 8 },
    axis: { title: 'latency (ms, log scale)', format: '~g' },
  };
  const tooltip = [
    { field: 'mode', type: 'nominal' as const },
    { field: 'tierLabel', type: 'nominal' as const, title: 'tier' },
    { field: 'percentile', type: 'nominal' as const },
    { field: 'latencyMs', type: 'quantitative' as const, title: 'latency (ms)', format: '.3f' },
  ];
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Latency percentile spectrum',
      subtitle: 'Percentiles of the histogram merged over repetitions, p50 to p99.99. Both axes logarithmic.',
    },
    data: { values: rows },
    facet: {
      column: {
        field: 'tierLabel',
        type: 'nominal',
        sort: tierLabels(analysis),
        title: null,
        header: { labelOrient: 'top' },
      },
    },
    spec: {
      width: 320,
      height: 250,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: { x, y, color: modeColour(modes) },
        },
        {
          mark: { type: 'point', filled: true, size: 36 },
          encoding: { x, y, color: modeColour(modes), tooltip },
        },
      ],
    },
    config: CHART_CONFIG,
  };
  return {
    id: 'latency-spectrum',
    title: 'Latency percentile spectrum',
    description: 'Latency at p50, p90, p99, p99.9 and p99.99 per mode, one panel per tier, logarithmic axes.',
    spec,
  };
}
