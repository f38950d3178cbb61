import type { Analysis, ModeTierAnalysis, OverheadEstimate, OverheadMethod } from '../../analysis/types.js';
import {
  OVERHEAD_PERCENTILE_KEYS,
  percentileLabel,
  type OverheadPercentileKey,
} from '../../stats/percentiles.js';
import {
  formatMs,
  formatNumber,
  formatRange,
  formatSigned,
  msDecimals,
  withFlags,
} from '../shared/format.js';
import { tableOf, type TableData } from '../shared/table.js';

export function confidenceLabel(level: number): string {
  return `${formatNumber(level * 100, Number.isInteger(level * 100) ? 0 : 1)}% CI`;
}

/**
 * One overhead figure as the headline tables show it:
 *   "+0.42 ms (95% CI 0.31–0.55)" when the interval excludes 0,
 *   "not distinguishable from noise (95% CI −0.05–0.12 ms)" when it does not,
 *   "+0.42 ms (no CI: single repetition)" when there is none.
 */
export function formatOverhead(e: OverheadEstimate): string {
  if (!e.ci) return `${formatSigned(e.pointMs, msDecimals(e.pointMs))} ms (no CI: single repetition)`;
  const d = msDecimals(e.pointMs, e.ci.lowMs, e.ci.highMs);
  const range = formatRange(formatNumber(e.ci.lowMs, d), formatNumber(e.ci.highMs, d));
  if (e.distinguishable) return `${formatSigned(e.pointMs, d)} ms (${confidenceLabel(e.ci.level)} ${range})`;
  return `not distinguishable from noise (${confidenceLabel(e.ci.level)} ${range} ms)`;
}

function rowFor(analysis: Analysis, mode: string, tier: string): ModeTierAnalysis | undefined {
  return analysis.results.find((r) => r.mode === mode && r.tier === tier);
}

function overheadCell(row: ModeTierAnalysis | undefined, key: OverheadPercentileKey): string {
  if (!row) return 'not measured';
  if (!row.overhead) return withFlags('no data', row.flags);
  return withFlags(formatOverhead(row.overhead.byPercentile[key]), row.overhead.flags);
}

/** "P50 latency added": rows = modes except baseline, columns = tiers. */
export function overheadTable(analysis: Analysis, key: OverheadPercentileKey): TableData {
  const modes = analysis.modes.filter((m) => m !== analysis.baselineMode);
  const tiers = analysis.tiers.map((t) => t.name);
  const rows = modes.map((mode) => [
    mode,
    ...tiers.map((tier) => overheadCell(rowFor(analysis, mode, tier), key)),
  ]);
  return tableOf(['mode', ...tiers.map((t) => `${t} (${formatNumber(tierRps(analysis, t), 0)} RPS)`)], rows);
}

function tierRps(analysis: Analysis, tier: string): number {
  return analysis.tiers.find((t) => t.name === tier)?.targetRps ?? 0;
}

/** How each figure's point and interval were made (analysis/overhead.ts), as the methodology names them. */
const METHOD_LABELS: Record<OverheadMethod, string> = {
  'shift-repetitions-mann-whitney': 'shift of repetitions (Mann\u2013Whitney)',
  'bootstrap-repetitions-percentile': 'merged, bootstrap',
};

/** Every overhead estimate with its baseline, relative size, interval, method and Welch p-value. */
export function overheadDetailTable(analysis: Analysis): TableData {
  const rows: string[][] = [];
  for (const row of analysis.results) {
    if (!row.overhead) continue;
    for (const key of OVERHEAD_PERCENTILE_KEYS) {
      const e = row.overhead.byPercentile[key];
      const d = msDecimals(e.baselineMs, e.modeMs, e.pointMs, e.ci?.lowMs ?? 0, e.ci?.highMs ?? 0);
      rows.push([
        row.mode,
        row.tier,
        percentileLabel(key),
        formatMs(e.baselineMs, d),
        formatMs(e.modeMs, d),
        formatSigned(e.pointMs, d),
        e.relative === null ? 'n/a' : formatSigned(e.relative * 100, 1) + '%',
        e.ci
          ? formatRange(formatNumber(e.ci.lowMs, d), formatNumber(e.ci.highMs, d))
          : 'none (single repetition)',
        e.ci ? METHOD_LABELS[e.ci.method] : 'n/a',
        e.test ? formatP(e.test.pValue) : 'n/a',
        e.ci ? (e.distinguishable ? 'yes' : 'no') : 'unknown',
        withFlags('', row.overhead.flags).trim(),
      ]);
    }
  }
  return tableOf(
    [
      'mode',
      'tier',
      'percentile',
      'baseline (ms)',
      'mode (ms)',
      'added (ms)',
      'relative',
      'CI (ms)',
      'method',
      'Welch p',
      'distinguishable',
      'flags',
    ],
    rows,
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'left', 'left'],
  );
}

/** p-values: three significant digits, "<0.001" below that. */
export function formatP(p: number): string {
  if (p < 0.001) return '<0.001';
  return formatNumber(p, 3);
}
