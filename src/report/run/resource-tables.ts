import type { Analysis, ModeTierAnalysis } from '../../analysis/types.js';
import type { Spread } from '../../stats/summary.js';
import { formatRange, formatResource, formatUsd, withFlags, type Align } from '../shared/format.js';
import { tableOf, type TableData } from '../shared/table.js';

/** "46.7" or, when repetitions differ, "46.7 (45.1–48.0)": mean with the min–max over repetitions. */
export function formatSpread(s: Spread, format: (x: number) => string = formatResource): string {
  const mean = format(s.mean);
  if (s.n < 2) return mean;
  const lo = format(s.min);
  const hi = format(s.max);
  return lo === hi ? mean : `${mean} (${formatRange(lo, hi)})`;
}

function withProxies(analysis: Analysis): ModeTierAnalysis[] {
  return analysis.results.filter((r) => r.mode !== analysis.baselineMode);
}

/** Proxy CPU and memory per pod and per 1000 achieved RPS, per mode and tier. */
export function resourceTable(analysis: Analysis): TableData {
  const rows = withProxies(analysis).map((r) => {
    const p = r.proxies;
    return [
      r.mode,
      r.tier,
      String(p.count),
      p.perPod ? formatSpread(p.perPod.cpuMillicores) : 'n/a',
      p.perPod ? formatSpread(p.perPod.memMiB) : 'n/a',
      p.per1000Rps ? formatSpread(p.per1000Rps.cpuMillicores) : 'n/a',
      p.per1000Rps ? formatSpread(p.per1000Rps.memMiB) : 'n/a',
      p.total ? formatSpread(p.total.cpuMillicores) : 'n/a',
      p.total ? formatSpread(p.total.memMiB) : 'n/a',
      withFlags('', r.flags).trim(),
    ];
  });
  const align: Align[] = [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'left',
  ];
  return tableOf(
    [
      'mode',
      'tier',
      'proxies',
      'CPU per pod (m)',
      'memory per pod (MiB)',
      'CPU per 1000 RPS (m)',
      'memory per 1000 RPS (MiB)',
      'total CPU (m)',
      'total memory (MiB)',
      'flags',
    ],
    rows,
    align,
  );
}

/** Per-proxy figures by role: what sizing turns into requests and limits. */
export function roleTable(analysis: Analysis): TableData {
  const rows = withProxies(analysis).flatMap((r) =>
    r.proxies.byRole.map((role) => [
      r.mode,
      r.tier,
      role.role,
      role.scope,
      String(role.count),
      formatResource(role.cpuMeanMillicores),
      formatResource(role.cpuP95Millicores),
      formatResource(role.cpuMaxMillicores),
      formatResource(role.memMeanMiB),
      formatResource(role.memMaxMiB),
      role.cpuMillicoresPer1000Rps === null ? 'n/a' : formatResource(role.cpuMillicoresPer1000Rps),
    ]),
  );
  return tableOf(
    [
      'mode',
      'tier',
      'role',
      'scope',
      'count',
      'CPU mean (m)',
      'CPU p95 (m)',
      'CPU max (m)',
      'mem mean (MiB)',
      'mem max (MiB)',
      'CPU per 1000 RPS (m)',
    ],
    rows,
    ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** Node-scope proxies (ztunnel) per node; empty string when no mode has any. */
export function nodeTable(analysis: Analysis): TableData | null {
  const rows = withProxies(analysis).flatMap((r) =>
    (r.proxies.perNode?.nodes ?? []).map((n) => [
      r.mode,
      r.tier,
      n.node,
      formatResource(n.cpuMillicores),
      formatResource(n.memMiB),
    ]),
  );
  if (rows.length === 0) return null;
  return tableOf(['mode', 'tier', 'node', 'CPU (m)', 'memory (MiB)'], rows, [
    'left',
    'left',
    'left',
    'right',
    'right',
  ]);
}

/** Monthly cost of the measured proxy usage, per pod and for 100 pods. */
export function costTable(analysis: Analysis): TableData {
  const rows = withProxies(analysis).map((r) => [
    r.mode,
    r.tier,
    r.proxies.perPod ? formatResource(r.proxies.perPod.cpuMillicores.mean) : 'n/a',
    r.proxies.perPod ? formatResource(r.proxies.perPod.memMiB.mean) : 'n/a',
    r.cost ? formatSpread(r.cost.perPodMonthlyUsdSpread, formatUsd) : 'n/a',
    r.cost ? formatUsd(r.cost.per100PodsMonthly.totalUsd) : 'n/a',
    r.cost ? `${formatUsd(r.cost.perPodMonthly.cpuUsd)} / ${formatUsd(r.cost.perPodMonthly.memUsd)}` : 'n/a',
    withFlags('', r.flags).trim(),
  ]);
  return tableOf(
    [
      'mode',
      'tier',
      'CPU per pod (m)',
      'memory per pod (MiB)',
      'per pod per month',
      'per 100 pods per month',
      'CPU / memory part (per pod)',
      'flags',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}
