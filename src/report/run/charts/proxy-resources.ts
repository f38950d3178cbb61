import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../../../analysis/types.js';
import {
  CHART_CONFIG,
  VEGA_LITE_SCHEMA,
  modesIn,
  tierLabelOf,
  tierLabels,
  type ChartDefinition,
} from './chart.js';
import { tierBarsPanel, type TooltipField } from './tier-bars.js';

export interface ProxyResourceRow {
  mode: string;
  tier: string;
  tierLabel: string;
  /** ProxyAnalysis.per1000Rps: mean over repetitions, and min/max over repetitions. */
  cpuMillicoresPer1000Rps: number;
  cpuMinMillicoresPer1000Rps: number;
  cpuMaxMillicoresPer1000Rps: number;
  memMiBPer1000Rps: number;
  memMinMiBPer1000Rps: number;
  memMaxMiBPer1000Rps: number;
  /** ProxyAnalysis.total, for the tooltip: what the per-1000-RPS figures were divided from. */
  totalCpuMillicores: number | null;
  totalMemMiB: number | null;
  achievedRps: number | null;
}

/** Modes with proxies and an achieved rate: every mode but baseline, where there is data. */
export function proxyResourceRows(analysis: Analysis): ProxyResourceRow[] {
  return analysis.results.flatMap((r) => {
    const per = r.proxies.per1000Rps;
    if (r.mode === analysis.baselineMode || !per) return [];
    return [
      {
        mode: r.mode,
        tier: r.tier,
        tierLabel: tierLabelOf(analysis, r.tier),
        cpuMillicoresPer1000Rps: per.cpuMillicores.mean,
        cpuMinMillicoresPer1000Rps: per.cpuMillicores.min,
        cpuMaxMillicoresPer1000Rps: per.cpuMillicores.max,
        memMiBPer1000Rps: per.memMiB.mean,
        memMinMiBPer1000Rps: per.memMiB.min,
        memMaxMiBPer1000Rps: per.memMiB.max,
        totalCpuMillicores: r.proxies.total?.cpuMillicores.mean ?? null,
        totalMemMiB: r.proxies.total?.memMiB.mean ?? null,
        achievedRps: r.load.achievedRps?.mean ?? null,
      },
    ];
  });
}

/**
 * Proxy CPU and memory per 1000 achieved RPS, per mode and tier: all of a mode's proxies summed, so sidecar
 * meshes (two proxies per hop) and node-proxy meshes compare on the same footing. Whiskers: min-max over
 * repetitions. Null when no mode has proxies with usage.
 */
export function proxyResourcesChart(analysis: Analysis): ChartDefinition | null {
  const rows = proxyResourceRows(analysis);
  if (rows.length === 0) return null;
  const modes = modesIn(analysis, rows);
  const tiers = tierLabels(analysis).filter((t) => rows.some((r) => r.tierLabel === t));
  const tooltip = (metric: 'cpu' | 'mem'): TooltipField[] => [
    { field: 'mode', type: 'nominal' },
    { field: 'tierLabel', type: 'nominal', title: 'tier' },
    ...(metric === 'cpu'
      ? [
          { field: 'cpuMillicoresPer1000Rps', title: 'CPU per 1000 RPS (m)' },
          { field: 'cpuMinMillicoresPer1000Rps', title: 'min over repetitions (m)' },
          { field: 'cpuMaxMillicoresPer1000Rps', title: 'max over repetitions (m)' },
          { field: 'totalCpuMillicores', title: 'total CPU (m)' },
        ]
      : [
          { field: 'memMiBPer1000Rps', title: 'memory per 1000 RPS (MiB)' },
          { field: 'memMinMiBPer1000Rps', title: 'min over repetitions (MiB)' },
          { field: 'memMaxMiBPer1000Rps', title: 'max over repetitions (MiB)' },
          { field: 'totalMemMiB', title: 'total memory (MiB)' },
        ]
    ).map((t) => ({ ...t, type: 'quantitative' as const, format: ',.1f' })),
    { field: 'achievedRps', type: 'quantitative', title: 'achieved RPS', format: ',.1f' },
  ];
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Proxy CPU and memory per 1000 RPS',
      subtitle: [
        'Every proxy of a mode summed (mean over the measure window) \u00d7 1000 / achieved RPS.',
        'Whiskers: min\u2013max over repetitions. Each tier on its own scale.',
      ],
    },
    data: { values: rows },
    hconcat: [
      tierBarsPanel({
        field: 'cpuMillicoresPer1000Rps',
        lowField: 'cpuMinMillicoresPer1000Rps',
        highField: 'cpuMaxMillicoresPer1000Rps',
        title: 'CPU per 1000 RPS (millicores)',
        format: ',~r',
        modes,
        tiers,
        independentScales: true,
        tooltip: tooltip('cpu'),
      }),
      tierBarsPanel({
        field: 'memMiBPer1000Rps',
        lowField: 'memMinMiBPer1000Rps',
        highField: 'memMaxMiBPer1000Rps',
        title: 'memory per 1000 RPS (MiB)',
        format: ',~r',
        modes,
        tiers,
        independentScales: true,
        tooltip: tooltip('mem'),
      }),
    ],
    config: CHART_CONFIG,
  };
  return {
    id: 'proxy-resources',
    title: 'Proxy CPU and memory per 1000 RPS',
    description:
      'Proxy CPU (millicores) and memory (MiB) per 1000 achieved requests per second, per mode and tier, with min\u2013max whiskers over repetitions.',
    spec,
  };
}
