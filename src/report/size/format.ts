import type { ResourceUsage } from '../../cost/resource-cost.js';
import type { Extrapolation } from '../../size/recommend.js';
import type { ProxyRow } from '../../size/proxy-rows.js';
import type { LinearFit } from '../../size/fit.js';
import type { ModelFlag } from '../../size/models.js';
import type { ModeSizing, SizingReport } from '../../size/types.js';
import {
  formatCount,
  formatNumber,
  formatPercent,
  formatUsd,
  MINUS,
  WARNING_SIGN,
} from '../shared/format.js';

/** Formatting shared by the sizing outputs (Markdown, CSV, HTML), so that all three say the same thing. */

/** "33m": Kubernetes CPU quantity in millicores. */
export function cpuQuantity(millicores: number): string {
  return `${formatNumber(millicores, 0)}m`;
}

/** "66Mi": Kubernetes memory quantity in MiB. */
export function memQuantity(mib: number): string {
  return `${formatNumber(mib, 0)}Mi`;
}

/** Expected usage: one decimal (the model's precision is well below a millicore, a request's is 1m). */
export function usageText(u: ResourceUsage): string {
  return `${formatNumber(u.cpuMillicores, 1)}m / ${formatNumber(u.memMiB, 1)}Mi`;
}

export function vcpu(millicores: number): string {
  return formatNumber(millicores / 1000, 3);
}

export function gib(mib: number): string {
  return formatNumber(mib / 1024, 2);
}

/** Whole RPS with thousands separators from 100 up or when whole; otherwise one or two decimals. */
export function rpsText(rps: number): string {
  if (rps >= 100 || Number.isInteger(rps)) return formatCount(rps);
  return formatNumber(rps, rps >= 10 ? 1 : 2);
}

/** "+$3.29", "−$1.10", "$0.00". */
export function signedUsd(x: number): string {
  const s = formatUsd(x);
  return s.startsWith(MINUS) || s === '$0.00' ? s : `+${s}`;
}

export function changeText(m: ModeSizing): string {
  const rel = m.change.relative;
  return rel === null
    ? signedUsd(m.change.monthlyUsd)
    : `${signedUsd(m.change.monthlyUsd)} (${rel > 0 ? '+' : ''}${formatPercent(rel, 0)})`;
}

/** "" within range; else what is extrapolated and where the measurements end. */
export function extrapolationText(e: Extrapolation): string {
  const parts: string[] = [];
  if (e.above) parts.push(`above measured range (max ${rpsText(e.rpsMax)} RPS)`);
  if (e.below) parts.push(`below measured range (min ${rpsText(e.rpsMin)} RPS)`);
  return parts.length === 0 ? '' : `${WARNING_SIGN} extrapolated: ${parts.join('; ')}`;
}

/** Short machine-friendly form for CSV: "", "above", "below", "above+below". */
export function extrapolationCode(e: Extrapolation): string {
  return [e.above ? 'above' : '', e.below ? 'below' : ''].filter(Boolean).join('+');
}

export function modeExtrapolationText(m: ModeSizing): string {
  const parts: string[] = [];
  if (m.extrapolatedAbove > 0) parts.push(`${m.extrapolatedAbove} above`);
  if (m.extrapolatedBelow > 0) parts.push(`${m.extrapolatedBelow} below`);
  return parts.length === 0 ? 'none' : `${WARNING_SIGN} ${parts.join(', ')}`;
}

/** The callout every output starts with when anything is extrapolated; null when nothing is. */
export function extrapolationCallout(r: SizingReport): string | null {
  // From each mode's counts, not the list of rows: the list may be cut for the outputs (shown.ts).
  const above = r.modes.reduce((n, m) => n + m.extrapolatedAbove, 0);
  const below = r.modes.reduce((n, m) => n + m.extrapolatedBelow, 0);
  if (above === 0 && below === 0) return null;
  const parts: string[] = [];
  if (above > 0) parts.push(`${above} row${above === 1 ? '' : 's'} sized for RPS above the measured range`);
  if (below > 0) parts.push(`${below} below it`);
  return `${WARNING_SIGN} Extrapolated: ${parts.join(', ')} (marked ${WARNING_SIGN}). Above the range the model is extended beyond any measurement; measure a tier at that rate to confirm.`;
}

/** "2.00 + 0.1000 x RPS" as "2.0m + 100.0m per 1000 RPS". */
export function fitText(f: LinearFit, unit: 'm' | 'Mi'): string {
  const a = `${formatNumber(f.intercept, 1)}${unit}`;
  const b = `${formatNumber(Math.abs(f.slopePerRps) * 1000, 1)}${unit}`;
  const sign = f.slopePerRps < 0 ? MINUS : '+';
  if (f.method === 'flat') return `${a} (flat)`;
  if (f.method === 'proportional') return `${f.slopePerRps < 0 ? MINUS : ''}${b} per 1000 RPS (proportional)`;
  return `${a} ${sign} ${b} per 1000 RPS`;
}

export function r2Text(f: LinearFit): string {
  return f.r2 === null ? 'n/a' : formatNumber(f.r2, 3);
}

const FLAG_TEXT: Record<ModelFlag, string> = {
  'single-rps-level': 'one RPS level measured: no slope could be fitted',
  'weak-cpu-fit': 'weak CPU fit (r² < 0.8)',
  'negative-cpu-slope': 'CPU falls with RPS: measurement noise, check the run',
};

export function modelFlagsText(flags: readonly ModelFlag[]): string {
  return flags.map((f) => `${WARNING_SIGN} ${FLAG_TEXT[f]}`).join('; ');
}

/** The row's name as a reader looks for it: "shop/checkout", "ztunnel (DaemonSet, every node)", "shop/waypoint". */
export function rowLabel(r: ProxyRow): string {
  if (r.kind === 'node-proxy') return `${r.name} (DaemonSet, every node)`;
  return `${r.namespace ?? ''}/${r.name}`;
}

export function todayText(r: ProxyRow): string {
  const e = r.today;
  if (!e) return '';
  if (e.source === 'none') return 'no Envoy';
  const req = `${cpuQuantity(e.requests.cpuMillicores)} / ${memQuantity(e.requests.memMiB)}`;
  return e.assumed.length > 0 ? `${req} (default assumed)` : req;
}
