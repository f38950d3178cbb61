import type { ProxyRow } from '../size/proxy-rows.js';
import type { SizingReport } from '../size/types.js';
import { csvComment, csvText } from './csv-escape.js';
import { extrapolationCallout, extrapolationCode } from './size-format.js';

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

export function renderSizingCsv(r: SizingReport): string {
  const rows = r.modes.flatMap((m) =>
    m.rows.map((x) => [
      x.mode,
      x.kind,
      x.scope,
      x.namespace,
      x.name,
      x.instances,
      x.peakRps,
      x.avgRps,
      x.requests.cpuMillicores,
      x.limits.cpuMillicores,
      x.requests.memMiB,
      x.limits.memMiB,
      x.expectedPerInstance.cpuMillicores,
      x.expectedPerInstance.memMiB,
      x.reserved.cpuMillicores,
      x.reserved.memMiB,
      x.expected.cpuMillicores,
      x.expected.memMiB,
      x.today?.requests.cpuMillicores ?? null,
      x.today?.requests.memMiB ?? null,
      todaySource(x),
      extrapolationCode(x.extrapolation),
      x.extrapolation.rpsMin,
      x.extrapolation.rpsMax,
    ]),
  );
  return preamble(r) + csv(PROXY_COLUMNS, rows);
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
