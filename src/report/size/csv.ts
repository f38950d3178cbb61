import type { ProxyRow } from '../../size/proxy-rows.js';
import type { SizingReport } from '../../size/types.js';
import { csvComment, csvText } from '../shared/csv-escape.js';
import { extrapolationCallout, extrapolationCode } from './format.js';

/**
 * The sizing as CSV: one file of proxies (a row per service's sidecars, node-proxy DaemonSet, waypoint) and
 * one of totals per mode. Numbers are plain (no units, no thousands separators) with the unit in the column
 * name; the assumptions and the extrapolation warning come first as lines starting with '#' (pandas:
 * read_csv(comment='#'); the `extrapolated` column carries the flag on every row as well).
 */

function cell(v: string | number | null): string {
  if (v === null) return '';
  return typeof v === 'number' ? num(v) : csvText(v);
}

/** At most 4 decimals, no trailing zeros, no exponent: stable across machines. */
function num(x: number): string {
  if (!Number.isFinite(x)) return '';
  // Whole numbers (most requests and limits) the cheap way; String() of a safe integer has no exponent.
  if (Number.isInteger(x) && Math.abs(x) < Number.MAX_SAFE_INTEGER) return x === 0 ? '0' : String(x);
  const s = x.toFixed(4).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

function preamble(r: SizingReport): string {
  const lines = [`meshbench sizing of ${r.inventory.source}`];
  const callout = extrapolationCallout(r);
  if (callout) lines.push(callout);
  lines.push(...r.assumptions);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.map(csvComment).join('\n') + '\n';
}

function todaySource(row: ProxyRow): string | null {
  const e = row.today;
  if (!e) return null;
  return e.assumed.length > 0 ? `${e.source}+assumed-default` : e.source;
}

export const PROXY_COLUMNS = [
  'mode',
  'kind',
  'scope',
  'namespace',
  'name',
  'instances',
  'peak_rps',
  'avg_rps',
  'cpu_request_m',
  'cpu_limit_m',
  'mem_request_mi',
  'mem_limit_mi',
  'expected_cpu_m_per_proxy',
  'expected_mem_mi_per_proxy',
  'reserved_cpu_m',
  'reserved_mem_mi',
  'expected_cpu_m',
  'expected_mem_mi',
  'today_cpu_request_m',
  'today_mem_request_mi',
  'today_source',
  'extrapolated',
  'measured_rps_min',
  'measured_rps_max',
] as const;

/** One proxy row as a CSV line. Written field by field, not through an array per row: 100,000 services. */
function proxyLine(x: ProxyRow): string {
  const t = x.today?.requests;
  return (
    `${cell(x.mode)},${cell(x.kind)},${cell(x.scope)},${cell(x.namespace)},${cell(x.name)},` +
    `${num(x.instances)},${num(x.peakRps)},${num(x.avgRps)},` +
    `${num(x.requests.cpuMillicores)},${num(x.limits.cpuMillicores)},${num(x.requests.memMiB)},${num(x.limits.memMiB)},` +
    `${num(x.expectedPerInstance.cpuMillicores)},${num(x.expectedPerInstance.memMiB)},` +
    `${num(x.reserved.cpuMillicores)},${num(x.reserved.memMiB)},${num(x.expected.cpuMillicores)},${num(x.expected.memMiB)},` +
    `${t ? num(t.cpuMillicores) : ''},${t ? num(t.memMiB) : ''},${cell(todaySource(x))},` +
    `${cell(extrapolationCode(x.extrapolation))},${num(x.extrapolation.rpsMin)},${num(x.extrapolation.rpsMax)}`
  );
}

export function renderSizingCsv(r: SizingReport): string {
  // Joined in blocks: each line is a rope of ~50 pieces until joined, and 200,000 of them held at once
  // would cost more memory than the finished text.
  const blocks: string[] = [PROXY_COLUMNS.join(',')];
  let block: string[] = [];
  for (const m of r.modes)
    for (const x of m.rows) {
      block.push(proxyLine(x));
      if (block.length === 1000) {
        blocks.push(block.join('\n'));
        block = [];
      }
    }
  if (block.length > 0) blocks.push(block.join('\n'));
  return preamble(r) + blocks.join('\n') + '\n';
}

export const TOTALS_COLUMNS = [
  'mode',
  'proxies',
  'reserved_vcpu',
  'reserved_gib',
  'limits_vcpu',
  'limits_gib',
  'expected_vcpu',
  'expected_gib',
  'reserved_usd_month',
  'expected_usd_month',
  'change_vcpu',
  'change_gib',
  'change_usd_month',
  'extrapolated_rows_above',
  'extrapolated_rows_below',
] as const;

export function renderSizingTotalsCsv(r: SizingReport): string {
  const t = r.today;
  const rows: (string | number | null)[][] = [
    [
      'appmesh-today',
      t.proxies,
      t.reserved.cpuMillicores / 1000,
      t.reserved.memMiB / 1024,
      null,
      null,
      null,
      null,
      t.reservedMonthly.totalUsd,
      null,
      null,
      null,
      null,
      null,
      null,
    ],
    ...r.modes.map((m) => [
      m.mode,
      m.totals.proxies,
      m.totals.reserved.cpuMillicores / 1000,
      m.totals.reserved.memMiB / 1024,
      m.totals.limits.cpuMillicores / 1000,
      m.totals.limits.memMiB / 1024,
      m.totals.expected.cpuMillicores / 1000,
      m.totals.expected.memMiB / 1024,
      m.totals.reservedMonthly.totalUsd,
      m.totals.expectedMonthly.totalUsd,
      m.change.cpuMillicores / 1000,
      m.change.memMiB / 1024,
      m.change.monthlyUsd,
      m.extrapolatedAbove,
      m.extrapolatedBelow,
    ]),
  ];
  return preamble(r) + csv(TOTALS_COLUMNS, rows);
}
