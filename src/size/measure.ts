import type { Analysis } from '../analysis/types.js';
import type { ModeName } from '../modes/mode.js';
import type { ModeTopologyRecord, ResultsFile } from '../results/schema.js';
import { kindOfRole, type ProxyKind } from './proxy-kind.js';

/**
 * One measurement a model is fitted to: one proxy's mean CPU and memory over a mode x tier's repetitions,
 * against the RPS that passed through that proxy.
 */
export interface MeasuredPoint {
  mode: ModeName;
  kind: ProxyKind;
  /** Requests per second through this proxy. */
  rps: number;
  cpuMillicores: number;
  memMiB: number;
  /** The results file (as given on the command line), the tier and the proxy, to trace the point back. */
  source: string;
  tier: string;
  proxyId: string;
}

/**
 * Requests per second through one proxy of a run, from the achieved rate R and where the run's pods are:
 * every request leaves one client pod and reaches one server pod, so a client sidecar carries R / clients, a
 * server sidecar R / servers, a node proxy the share of both ends on its node (outbound for the clients there,
 * inbound for the servers there), and each waypoint R / waypoints (all requests cross one waypoint).
 */
export function rpsThroughProxy(
  proxy: { role: string; node: string | null },
  topology: ModeTopologyRecord,
  achievedRps: number,
): number | null {
  const clients = topology.pods.filter((p) => p.role === 'client');
  const servers = topology.pods.filter((p) => p.role === 'server');
  switch (proxy.role) {
    case 'client-sidecar':
      return clients.length > 0 ? achievedRps / clients.length : null;
    case 'server-sidecar':
      return servers.length > 0 ? achievedRps / servers.length : null;
    case 'node-proxy': {
      if (clients.length === 0 || servers.length === 0 || proxy.node === null) return null;
      const here = (pods: typeof clients) => pods.filter((p) => p.node === proxy.node).length / pods.length;
      return achievedRps * (here(clients) + here(servers));
    }
    case 'waypoint': {
      const waypoints = topology.proxies.filter((p) => p.role === 'waypoint').length;
      return waypoints > 0 ? achievedRps / waypoints : null;
    }
    default:
      return null;
  }
}

/** Every proxy of every measured mode x tier of one results file, as points. */
export function measuredPoints(
  results: ResultsFile,
  analysis: Analysis,
  source: string,
): { points: MeasuredPoint[]; warnings: string[] } {
  const points: MeasuredPoint[] = [];
  const warnings: string[] = [];
  for (const row of analysis.results) {
    if (row.mode === analysis.baselineMode || row.proxies.perProxy.length === 0) continue;
    const achieved = row.load.achievedRps?.mean;
    const topology = results.topology.find((t) => t.mode === row.mode);
    if (achieved === undefined || !topology) continue;
    if (row.flags.length > 0) {
      warnings.push(
        `${source}: ${row.mode}/${row.tier} is flagged ${row.flags.join(', ')}; its points use the achieved ${achieved.toFixed(1)} RPS, not the target`,
      );
    }
    for (const p of row.proxies.perProxy) {
      const kind = kindOfRole(p.role);
      const rps = rpsThroughProxy(p, topology, achieved);
      if (kind === null || rps === null) {
        warnings.push(
          `${source}: ${row.mode}/${row.tier}: proxy ${p.id} (role ${p.role}) left out: the RPS through it cannot be worked out from the recorded topology`,
        );
        continue;
      }
      points.push({
        mode: row.mode,
        kind,
        rps,
        cpuMillicores: p.cpuMeanMillicores,
        memMiB: p.memMeanMiB,
        source,
        tier: row.tier,
        proxyId: p.id,
      });
    }
  }
  return { points, warnings };
}
