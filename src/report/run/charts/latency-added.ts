import type { TopLevelSpec } from 'vega-lite';
import type { Analysis, OverheadEstimate } from '../../../analysis/types.js';
import { confidenceLabel } from '../overhead-tables.js';
import {
  CHART_CONFIG,
  VEGA_LITE_SCHEMA,
  modesIn,
  tierLabelOf,
  tierLabels,
  type ChartDefinition,
} from './chart.js';
import { tierBarsPanel, type TooltipField } from './tier-bars.js';

/** The percentiles of the headline tables ("P50 latency added", "P99 latency added"). */
export const LATENCY_ADDED_PERCENTILES = [
  { key: 'p50', label: 'P50' },
  { key: 'p99', label: 'P99' },
] as const;

export const VERDICTS = {
  distinguishable: 'distinguishable from noise',
  noise: 'within noise (CI contains 0)',
  single: 'no CI (single repetition)',
} as const;

export interface LatencyAddedRow {
  percentile: (typeof LATENCY_ADDED_PERCENTILES)[number]['label'];
  mode: string;
  tier: string;
  tierLabel: string;
  addedMs: number;
  /** Null without an interval (fewer than two repetitions on a side). */
  ciLowMs: number | null;
  ciHighMs: number | null;
  /** addedMs relative to baseline, in percent; null when baseline's percentile is 0. */
  relativePercent: number | null;
  baselineMs: number;
  modeMs: number;
  verdict: (typeof VERDICTS)[keyof typeof VERDICTS];
  flags: string;
}

function verdict(e: OverheadEstimate): LatencyAddedRow['verdict'] {
  if (!e.ci) return VERDICTS.single;
  return e.distinguishable ? VERDICTS.distinguishable : VERDICTS.noise;
}

/** One row per (percentile, mode, tier) with an overhead estimate: the figures of the headline tables. */
export function latencyAddedRows(analysis: Analysis): LatencyAddedRow[] {
  const rows: LatencyAddedRow[] = [];
  for (const p of LATENCY_ADDED_PERCENTILES) {
    for (const r of analysis.results) {
      if (!r.overhead) continue;
      const e = r.overhead.byPercentile[p.key];
      rows.push({
        percentile: p.label,
        mode: r.mode,
        tier: r.tier,
        tierLabel: tierLabelOf(analysis, r.tier),
        addedMs: e.pointMs,
        ciLowMs: e.ci?.lowMs ?? null,
        ciHighMs: e.ci?.highMs ?? null,
        relativePercent: e.relative === null ? null : e.relative * 100,
        baselineMs: e.baselineMs,
        modeMs: e.modeMs,
        verdict: verdict(e),
        flags: r.overhead.flags.join(', '),
      });
    }
  }
  return rows;
}

/**
 * "Latency added" as a picture: one panel per headline percentile, a row per tier, a bar per mode at the
 * merged-histogram difference with its bootstrap interval as whiskers. Bars whose interval contains 0 are
 * faded, as the tables say "not distinguishable from noise". Null when there is nothing to draw (no baseline).
 */
export function latencyAddedChart(analysis: Analysis): ChartDefinition | null {
  const rows = latencyAddedRows(analysis);
  if (rows.length === 0) return null;
  const modes = modesIn(analysis, rows);
  const level = confidenceLabel(analysis.options.confidence);
  const tooltip: TooltipField[] = [
    { field: 'mode', type: 'nominal' },
    { field: 'tierLabel', type: 'nominal', title: 'tier' },
    { field: 'addedMs', type: 'quantitative', title: 'added (ms)', format: '.3f' },
    { field: 'ciLowMs', type: 'quantitative', title: `${level} low (ms)`, format: '.3f' },
    { field: 'ciHighMs', type: 'quantitative', title: `${level} high (ms)`, format: '.3f' },
    { field: 'relativePercent', type: 'quantitative', title: 'relative (%)', format: '+.1f' },
    { field: 'baselineMs', type: 'quantitative', title: 'baseline (ms)', format: '.3f' },
    { field: 'modeMs', type: 'quantitative', title: 'mode (ms)', format: '.3f' },
    { field: 'verdict', type: 'nominal' },
    { field: 'flags', type: 'nominal' },
  ];
  const tiers = tierLabels(analysis).filter((t) => rows.some((r) => r.tierLabel === t));
  // Only the verdicts that occur, each with its fixed opacity, so the legend explains what is drawn.
  const opacities: [LatencyAddedRow['verdict'], number][] = [
    [VERDICTS.distinguishable, 1],
    [VERDICTS.noise, 0.35],
    [VERDICTS.single, 0.7],
  ];
  const present = opacities.filter(([v]) => rows.some((r) => r.verdict === v));
  const verdicts = present.map(([v]) => v);
  // One shared scale per percentile: overheads at different tiers are comparable, and a shared axis shows it.
  const panel = (label: string) => ({
    transform: [{ filter: { field: 'percentile', equal: label } }],
    ...tierBarsPanel({
      field: 'addedMs',
      lowField: 'ciLowMs',
      highField: 'ciHighMs',
      title: `${label} latency added (ms)`,
      modes,
      tiers,
      independentScales: false,
      tooltip,
      opacity: {
        field: 'verdict',
        type: 'nominal',
        sort: verdicts,
        scale: { domain: verdicts, range: present.map(([, o]) => o) },
        legend: { title: `${level} vs 0` },
      },
    }),
  });
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Latency added over baseline',
      subtitle: [
        `Bars: how much higher the mode\u2019s percentile is than baseline\u2019s, same tier (method: see the methodology).`,
        `Whiskers: ${level}. Faded: the interval contains 0 (within noise).`,
      ],
    },
    data: { values: rows },
    hconcat: LATENCY_ADDED_PERCENTILES.map((p) => panel(p.label)),
    resolve: { scale: { x: 'independent' } },
    config: CHART_CONFIG,
  };
  return {
    id: 'latency-added',
    title: 'Latency added over baseline (P50, P99)',
    description: `P50 and P99 latency each mode adds over baseline, per tier, with ${level} whiskers; faded bars are not distinguishable from noise.`,
    spec,
  };
}
