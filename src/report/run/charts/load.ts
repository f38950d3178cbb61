import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../../../analysis/types.js';
import { formatPercent } from '../../shared/format.js';
import {
  CHART_CONFIG,
  VEGA_LITE_SCHEMA,
  modesIn,
  tierLabelOf,
  tierLabels,
  type ChartDefinition,
} from './chart.js';
import { tierBarsPanel, type PanelLayer } from './tier-bars.js';

export interface LoadRow {
  mode: string;
  tier: string;
  tierLabel: string;
  targetRps: number;
  /** LoadAnalysis.achievedRps over ok repetitions: mean, min, max. */
  achievedRps: number;
  achievedMinRps: number;
  achievedMaxRps: number;
  /** Mean achieved / target, in percent. */
  achievedPercent: number | null;
  /** Below this a repetition is flagged rate-missed: target x (1 - rate tolerance). */
  rateMissedBelowRps: number;
  flags: string;
}

export function loadRows(analysis: Analysis): LoadRow[] {
  return analysis.results.flatMap((r) => {
    const a = r.load.achievedRps;
    if (!a) return [];
    return [
      {
        mode: r.mode,
        tier: r.tier,
        tierLabel: tierLabelOf(analysis, r.tier),
        targetRps: r.load.targetRps,
        achievedRps: a.mean,
        achievedMinRps: a.min,
        achievedMaxRps: a.max,
        achievedPercent: r.load.achievedRatio === null ? null : r.load.achievedRatio * 100,
        rateMissedBelowRps: r.load.targetRps * (1 - r.load.rateTolerance),
        flags: r.flags.join(', '),
      },
    ];
  });
}

const TARGET = 'target';

/**
 * Achieved vs target request rate: one row per tier (each on its own scale, since tiers differ by orders of
 * magnitude), a bar per mode at the mean achieved rate with a min-max whisker, the target as a solid line and
 * the rate-missed threshold as a dashed one.
 */
export function loadChart(analysis: Analysis): ChartDefinition | null {
  const rows = loadRows(analysis);
  if (rows.length === 0) return null;
  const modes = modesIn(analysis, rows);
  const missed = `rate-missed below (target \u2212 ${formatPercent(analysis.options.rateTolerance, 0)})`;
  const tiers = tierLabels(analysis).filter((t) => rows.some((r) => r.tierLabel === t));
  const reference: PanelLayer = {
    transform: [
      {
        aggregate: [
          { op: 'max', field: 'targetRps', as: TARGET },
          { op: 'max', field: 'rateMissedBelowRps', as: 'rateMissed' },
        ],
      },
      { fold: [TARGET, 'rateMissed'], as: ['key', 'rps'] as [string, string] },
      { calculate: `datum.key == '${TARGET}' ? '${TARGET}' : '${missed}'`, as: 'reference' },
    ],
    mark: { type: 'rule', color: '#24292f', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'rps', type: 'quantitative' },
      strokeDash: {
        field: 'reference',
        type: 'nominal' as const,
        sort: [TARGET, missed],
        scale: {
          domain: [TARGET, missed],
          range: [
            [1, 0],
            [5, 4],
          ],
        },
        legend: { title: null, orient: 'top' as const },
      },
    },
  };
  const panel = tierBarsPanel({
    field: 'achievedRps',
    lowField: 'achievedMinRps',
    highField: 'achievedMaxRps',
    title: 'requests per second (RPS)',
    format: ',~r',
    modes,
    tiers,
    independentScales: true,
    width: 560,
    tooltip: [
      { field: 'mode', type: 'nominal' },
      { field: 'tierLabel', type: 'nominal', title: 'tier' },
      { field: 'targetRps', type: 'quantitative', title: 'target RPS', format: ',.0f' },
      { field: 'achievedRps', type: 'quantitative', title: 'achieved RPS (mean)', format: ',.1f' },
      { field: 'achievedMinRps', type: 'quantitative', title: 'min', format: ',.1f' },
      { field: 'achievedMaxRps', type: 'quantitative', title: 'max', format: ',.1f' },
      { field: 'achievedPercent', type: 'quantitative', title: 'achieved/target (%)', format: '.1f' },
      { field: 'flags', type: 'nominal' },
    ],
    extraLayers: [reference],
  });
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Achieved vs target RPS',
      subtitle:
        'Mean achieved rate over successful repetitions; whiskers: min\u2013max. Each tier on its own scale.',
    },
    ...panel,
    data: { values: rows },
    config: CHART_CONFIG,
  };
  return {
    id: 'load',
    title: 'Achieved vs target RPS',
    description:
      'Mean achieved requests per second per mode and tier, with min\u2013max whiskers, against the target and the rate-missed threshold.',
    spec,
  };
}
