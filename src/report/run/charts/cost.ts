import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../../../analysis/types.js';
import { pricesLine } from '../methodology.js';
import {
  CHART_CONFIG,
  VEGA_LITE_SCHEMA,
  modesIn,
  tierLabelOf,
  tierLabels,
  type ChartDefinition,
} from './chart.js';
import { tierBarsPanel, type TooltipField } from './tier-bars.js';

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
  const tooltip: TooltipField[] = [
    { field: 'mode', type: 'nominal' },
    { field: 'tierLabel', type: 'nominal', title: 'tier' },
    { field: 'perPodMonthlyUsd', type: 'quantitative', title: 'per pod per month', format: '$,.2f' },
    { field: 'perPodMonthlyMinUsd', type: 'quantitative', title: 'min over repetitions', format: '$,.2f' },
    { field: 'perPodMonthlyMaxUsd', type: 'quantitative', title: 'max over repetitions', format: '$,.2f' },
    { field: 'per100PodsMonthlyUsd', type: 'quantitative', title: '100 pods per month', format: '$,.2f' },
    { field: 'perPodCpuUsd', type: 'quantitative', title: 'CPU part per pod', format: '$,.2f' },
    { field: 'perPodMemUsd', type: 'quantitative', title: 'memory part per pod', format: '$,.2f' },
  ];
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Proxy cost per month',
      subtitle: [
        `Measured mean proxy usage at ${pricesLine(analysis)}.`,
        'Whiskers: min\u2013max over repetitions. Each tier on its own scale.',
      ],
    },
    data: { values: rows },
    hconcat: [
      tierBarsPanel({
        field: 'perPodMonthlyUsd',
        lowField: 'perPodMonthlyMinUsd',
        highField: 'perPodMonthlyMaxUsd',
        title: 'cost per pod (USD per month)',
        format: '$,~r',
        modes,
        tiers,
        independentScales: true,
        tooltip,
      }),
      tierBarsPanel({
        field: 'per100PodsMonthlyUsd',
        title: 'cost of 100 pods (USD per month)',
        format: '$,~r',
        modes,
        tiers,
        independentScales: true,
        tooltip,
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
