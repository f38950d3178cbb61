import { formatNumber, formatPercent } from '../report/shared/format.js';
import { APPMESH_DEFAULT_REQUESTS } from './inventory.js';
import type { SizingReport } from './types.js';

function list(items: readonly string[], max = 8): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Every assumption the figures rest on, one sentence each, the same in every output format. */
export function assumptionsOf(r: SizingReport): string[] {
  const s = r.settings;
  const p = r.prices;
  const out: string[] = [];
  out.push(
    `Prices: $${p.vcpuHourUsd} per vCPU-hour and $${p.gibHourUsd} per GiB-hour, ${p.hoursPerMonth} hours a month, as recorded in ${r.results[0]?.path ?? 'the results file'}.`,
  );
  out.push(
    `Requests: the model at the proxy's peak RPS plus ${formatPercent(s.headroom, 0)} headroom, at least ${formatNumber(s.minimum.cpuMillicores, 0)}m CPU and ${formatNumber(s.minimum.memMiB, 0)}Mi memory per proxy; limits: requests x ${s.cpuLimitFactor} (CPU) and x ${s.memLimitFactor} (memory). Rounded up to whole millicores and MiB.`,
  );
  out.push(
    'Cost is of the reserved requests (what the nodes must hold); "in use" is the model at average RPS, without headroom or minimum.',
  );
  for (const src of r.results) {
    out.push(
      `Models fitted from ${src.path}: run ${src.runId} (spec ${src.specName}, ${src.status}), platform ${src.platform}, proxy ${src.proxy}.${src.emulation ? ` ${src.emulation} The figures size that stand-in, not the production proxy.` : ''}`,
    );
  }
  out.push(
    "Each model is a least-squares line of a proxy's mean CPU (and memory) against the RPS through it: a sidecar against its pod's RPS, a node proxy against the sum over the pods on its node, a waypoint against the sum over its namespace's services.",
  );
  out.push(
    "RPS per pod counts every request that passes through the pod's proxy (inbound, plus outbound calls to other services where they matter); the same figures summed per namespace size the waypoints, which errs on the high side when outbound calls are included.",
  );
  const inv = r.inventory;
  if (inv.placement === 'derived') {
    const pools = inv.pools.map(
      (pool) =>
        `${pool.instanceType ?? 'unspecified type'}: ${pool.nodes} node${pool.nodes === 1 ? '' : 's'}`,
    );
    out.push(
      `Node placement derived from the inventory: services of one instance type share a pool as large as the widest service (${list(pools)}); each service takes consecutive nodes after the previous one and spreads its pods evenly. The node proxy's requests follow the busiest node.`,
    );
  } else {
    out.push(
      `Node placement read from the cluster: ${inv.nodes} node${inv.nodes === 1 ? '' : 's'} (a node proxy runs on each), pods where they run now.`,
    );
  }
  const t = r.today;
  if (t.assumedDefaults.length > 0) {
    out.push(
      `Today's App Mesh Envoy requests not given for ${t.assumedDefaults.length} service${t.assumedDefaults.length === 1 ? '' : 's'} (${list(t.assumedDefaults)}): App Mesh's controller defaults assumed (${APPMESH_DEFAULT_REQUESTS.cpuMillicores}m CPU, ${APPMESH_DEFAULT_REQUESTS.memMiB}Mi memory).`,
    );
  }
  if (t.notInMesh.length > 0) {
    out.push(
      `No Envoy today in ${t.notInMesh.length} service${t.notInMesh.length === 1 ? '' : 's'} (${list(t.notInMesh)}): they reserve nothing for a proxy today.`,
    );
  }
  out.push(
    'Rows marked as extrapolated are sized for RPS outside the range the results measured: above it, the line is extended beyond any measurement and may understate CPU where a proxy saturates; re-run with a tier at that rate to measure it.',
  );
  return out;
}
