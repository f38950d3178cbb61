import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../../analysis/types.js';
import { pricesLine } from '../markdown-methodology.js';
import {
  CHART_CONFIG,
  VEGA_LITE_SCHEMA,
  modesIn,
  tierLabelOf,
  tierLabels,
  type ChartDefinition,
} from './chart.js';
import { groupedBarsPanel } from './grouped-bars.js';

export interface CostRow {
  mode: string;
  tier: string;
  tierLabel: string;
  /** CostAnalysis.perPodMonthlyUsdSpread: mean, min and max over repetitions. */
  perPodMonthlyUsd: number;
  perPodMonthlyMinUsd: number;
  perPodMonthlyMaxUsd: number;
  per100PodsMonthlyUsd: number;
  perPodCpuUsd: number;
  perPodMemUsd: number;
}

export function costRows(analysis: Analysis): CostRow[] {
  return analysis.results.flatMap((r) => {
    if (r.mode === analysis.baselineMode || !r.cost) return [];
    const c = r.cost;
    return [
      {
        mode: r.mode,
        tier: r.tier,
        tierLabel: tierLabelOf(analysis, r.tier),
        perPodMonthlyUsd: c.perPodMonthly.totalUsd,
        perPodMonthlyMinUsd: c.perPodMonthlyUsdSpread.min,
        perPodMonthlyMaxUsd: c.perPodMonthlyUsdSpread.max,
        per100PodsMonthlyUsd: c.per100PodsMonthly.totalUsd,
        perPodCpuUsd: c.perPodMonthly.cpuUsd,
        perPodMemUsd: c.perPodMonthly.memUsd,
      },
    ];
  });
}

/** Monthly cost of the measured proxy usage, per pod (with min-max whiskers) and for 100 pods. */
export function costChart(analysis: Analysis): ChartDefinition | null {
  const rows = costRows(analysis);
  if (rows.length === 0) return null;
  const modes = modesIn(analysis, rows);
  const tiers = tierLabels(analysis).filter((t) => rows.some((r) => r.tierLabel === t));
  const extraTooltip = [
    { field: 'perPodCpuUsd', title: 'CPU part per pod (USD/month)', format: '$,.2f' },
    { field: 'perPodMemUsd', title: 'memory part per pod (USD/month)', format: '$,.2f' },
  ];
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Proxy cost per month',
      subtitle: `Measured mean proxy usage per pod at ${pricesLine(analysis)}. Whiskers: min\u2013max over repetitions.`,
    },
    data: { values: rows },
    hconcat: [
      groupedBarsPanel({
        field: 'perPodMonthlyUsd',
        lowField: 'perPodMonthlyMinUsd',
        highField: 'perPodMonthlyMaxUsd',
        title: 'cost per pod (USD per month)',
        format: '$,.2f',
        modes,
        tiers,
        legend: true,
        extraTooltip,
      }),
      groupedBarsPanel({
        field: 'per100PodsMonthlyUsd',
        title: 'cost for 100 pods (USD per month)',
        format: '$,.0f',
        modes,
        tiers,
        legend: false,
        extraTooltip,
      }),
    ],
    config: CHART_CONFIG,
  };
  return {
    id: 'cost',
    title: 'Proxy cost per pod per month and for 100 pods',
    description:
      'Monthly cost in USD of the measured proxy CPU and memory, per pod and for 100 pods, per mode and tier.',
    spec,
  };
}
