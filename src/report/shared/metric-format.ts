import type { MetricComparison, MetricUnit, VerdictReason } from '../../compare/types.js';
import {
  formatMs,
  formatNumber,
  formatPercent,
  formatRange,
  formatResource,
  formatSigned,
  formatUsd,
  MINUS,
  msDecimals,
} from './format.js';

/** Decimals for figures shown together (a value, its change and interval) in a unit. */
function decimals(unit: MetricUnit, ...xs: number[]): number {
  switch (unit) {
    case 'ms':
      return msDecimals(...xs);
    case 'millicores':
    case 'MiB':
      return Math.max(0, ...xs.map(Math.abs)) < 100 ? 1 : 0;
    case 'USD/month':
      // Cents hide the changes worth a look below $0.10 (a tenth of a sidecar's monthly cost).
      return Math.max(0, ...xs.map(Math.abs)) < 0.1 ? 3 : 2;
    case 'ratio':
      return 2;
  }
}

const SUFFIX: Record<MetricUnit, string> = {
  ms: ' ms',
  millicores: ' m',
  MiB: ' MiB',
  'USD/month': '/month',
  ratio: '',
};

/** A figure with its unit: "1.25 ms", "42.0 m", "$1.27/month", "0.10%". */
export function formatValue(unit: MetricUnit, x: number, d?: number): string {
  if (unit === 'ratio') return formatPercent(x, d ?? 2);
  if (unit === 'USD/month') {
    const dd = d ?? decimals(unit, x);
    return dd === 2
      ? `${formatUsd(x)}${SUFFIX[unit]}`
      : `${x < 0 ? MINUS : ''}$${formatNumber(Math.abs(x), dd)}${SUFFIX[unit]}`;
  }
  if (unit === 'ms') return `${formatMs(x, d ?? decimals(unit, x))}${SUFFIX[unit]}`;
  return `${d === undefined ? formatResource(x) : formatNumber(x, d)}${SUFFIX[unit]}`;
}

/** A change with its sign: "+0.42 ms", "−3.0 m", "+$0.050/month", "+0.20 pp" (error rate: percentage points). */
export function formatChange(unit: MetricUnit, x: number, d?: number): string {
  const dd = d ?? decimals(unit, x);
  if (unit === 'ratio') return `${formatSigned(x * 100, dd)} pp`;
  if (unit === 'USD/month') {
    const s = formatSigned(x, dd);
    return `${s.startsWith(MINUS) ? MINUS : s.startsWith('+') ? '+' : ''}$${s.replace(/^[+\u2212]/, '')}${SUFFIX[unit]}`;
  }
  return `${formatSigned(x, dd)}${SUFFIX[unit]}`;
}

/** "+25.0%", "n/a" (from 0). */
export function formatRelative(r: number | null): string {
  return r === null ? 'n/a' : formatSigned(r * 100, Math.abs(r) < 0.1 ? 1 : 0) + '%';
}

/** The change as a table shows it: "+0.42 ms (+25%)". */
export function changeCell(row: MetricComparison): string {
  if (row.change === null) return 'n/a';
  const d = decimals(row.unit, row.change, row.interval?.low ?? 0, row.interval?.high ?? 0);
  return `${formatChange(row.unit, row.change, d)} (${formatRelative(row.relativeChange)})`;
}

/** "+0.31 – +0.55" in the unit's numbers (no unit), or "n/a". */
export function intervalCell(row: MetricComparison): string {
  const i = row.interval;
  if (!i || row.change === null) return 'n/a';
  const d = decimals(row.unit, row.change, i.low, i.high);
  const scale = row.unit === 'ratio' ? 100 : 1;
  return formatRange(formatSigned(i.low * scale, d), formatSigned(i.high * scale, d));
}

/** "10% and 0.2 ms": both must be exceeded. */
export function thresholdText(row: Pick<MetricComparison, 'unit' | 'threshold'>): string {
  const rel = formatPercent(row.threshold.relative, row.threshold.relative * 100 < 1 ? 2 : 0);
  const abs =
    row.unit === 'ratio'
      ? `${formatNumber(row.threshold.absolute * 100, 2)} pp`
      : formatValue(row.unit, row.threshold.absolute, row.unit === 'USD/month' ? 2 : undefined);
  return `${rel} and ${abs}`;
}

const REASONS: Record<VerdictReason, string> = {
  regression: 'regression',
  improvement: 'improvement',
  'no-data': 'not judged: no data in one run',
  'no-interval': 'not judged: a run has one repetition',
  'below-threshold': 'unchanged: below threshold',
  'not-significant': 'unchanged: interval includes 0',
  'multiple-testing': 'unchanged: not significant across all metrics',
  'within-noise': 'unchanged: within run-to-run noise',
};

export function reasonText(reason: VerdictReason): string {
  return REASONS[reason];
}

export function confidenceText(level: number): string {
  return `${formatNumber(level * 100, Number.isInteger(level * 100) ? 0 : 1)}%`;
}
