import type { ModeDefinition, ProxyRole, ProxyScope } from '../../modes/mode.js';
import type { ModeTopologyRecord, PodInfo } from '../../results/schema.js';

/**
 * Where a mode's pods and proxies sit on the emulated nodes, and which hops a request takes. Pure: derived
 * from `mode.topology` only, so a new mode file with the same topology fields works without changes here.
 *
 * A request crosses first the hops shared by the client (client sidecar, source node proxy, waypoint), then
 * the hops of the one destination pod it was balanced to (destination node proxy, server sidecar, app). The
 * last shared hop balances over the destination pods; with no shared hop (baseline) the client itself
 * spreads its connections over the pods, as kube-proxy does.
 */
export type HopKind = 'client-sidecar' | 'node-outbound' | 'waypoint' | 'node-inbound' | 'server-sidecar';

export interface PlannedHop {
  kind: HopKind;
  /** The proxy process that serves this hop. */
  proxyId: string;
  /** Frontend name inside that process (unique per process). */
  listener: string;
  /** HAProxy mode: 'http' parses L7, 'tcp' forwards bytes (L4). */
  mode: 'http' | 'tcp';
  /** The listener demands a client certificate signed by the run's CA (mutual TLS). */
  mtls: boolean;
  /** The listener speaks HTTP/2 (ALPN h2), and the hop before it connects with HTTP/2 (`topology.sidecar.between`). */
  h2?: boolean;
}

export interface PlannedProxy {
  id: string;
  role: ProxyRole;
  scope: ProxyScope;
  node: string;
  pod?: string;
}

export interface TopologyPlan {
  mode: ModeDefinition;
  pods: PodInfo[];
  /** Nodes hosting a pod or a proxy of this mode. */
  nodes: string[];
  proxies: PlannedProxy[];
  /** Hops of the client's path before the destination is chosen. */
  sharedHops: PlannedHop[];
  /** Per destination (server) pod, its own hops before its app. */
  podHops: Map<string, PlannedHop[]>;
  path: string[];
}

export const CLIENT_POD = 'client';
export const nodeName = (i: number): string => `node-${i}`;
export const serverPodName = (i: number): string => `server-${i}`;
const ztunnelId = (node: string): string => `ztunnel-${node}`;

export function planTopology(mode: ModeDefinition, o: { replicas: number; nodes: number }): TopologyPlan {
  const t = mode.topology;
  if (t.waypoint && !t.nodeProxy)
    throw new Error(
      `mode ${mode.name}: a waypoint requires nodeProxy (the topology contract in modes/mode.ts)`,
    );
  const client: PodInfo = { name: CLIENT_POD, role: 'client', node: nodeName(1) };
  // Round-robin from node-1, so with 2 replicas on 2 nodes one server shares the client's node and one does not.
  const servers: PodInfo[] = Array.from({ length: o.replicas }, (_, i) => ({
    name: serverPodName(i + 1),
    role: 'server',
    node: nodeName((i % o.nodes) + 1),
  }));
  const pods = [client, ...servers];
  const waypointNode = nodeName(o.nodes);

  const proxies: PlannedProxy[] = [];
  if (t.sidecar) {
    proxies.push({
      id: 'client-sidecar',
      role: 'client-sidecar',
      scope: 'pod',
      node: client.node,
      pod: client.name,
    });
    servers.forEach((s, i) =>
      proxies.push({
        id: `server-sidecar-${i + 1}`,
        role: 'server-sidecar',
        scope: 'pod',
        node: s.node,
        pod: s.name,
      }),
    );
  }
  if (t.nodeProxy) {
    for (const node of unique(pods.map((p) => p.node)))
      proxies.push({ id: ztunnelId(node), role: 'node-proxy', scope: 'node', node });
  }
  if (t.waypoint) proxies.push({ id: 'waypoint', role: 'waypoint', scope: 'namespace', node: waypointNode });

  const sidecarMode = t.sidecar?.layer === 'l7' ? 'http' : 'tcp';
  const sharedHops: PlannedHop[] = [];
  if (t.sidecar)
    sharedHops.push({
      kind: 'client-sidecar',
      proxyId: 'client-sidecar',
      listener: 'outbound',
      mode: sidecarMode,
      mtls: false,
    });
  if (t.nodeProxy)
    sharedHops.push({
      kind: 'node-outbound',
      proxyId: ztunnelId(client.node),
      listener: 'outbound',
      mode: 'tcp',
      mtls: false,
    });
  if (t.waypoint)
    sharedHops.push({
      kind: 'waypoint',
      proxyId: 'waypoint',
      listener: 'waypoint',
      mode: 'http',
      mtls: true,
    });

  const podHops = new Map<string, PlannedHop[]>();
  servers.forEach((s, i) => {
    const hops: PlannedHop[] = [];
    // ztunnel's inbound is per pod (Istio: HBONE port 15008 on the pod's IP); locally one listener per pod.
    if (t.nodeProxy)
      hops.push({
        kind: 'node-inbound',
        proxyId: ztunnelId(s.node),
        listener: `inbound-${s.name}`,
        mode: 'tcp',
        mtls: true,
      });
    if (t.sidecar)
      hops.push({
        kind: 'server-sidecar',
        proxyId: `server-sidecar-${i + 1}`,
        listener: 'inbound',
        mode: sidecarMode,
        mtls: t.sidecar.mtls,
        ...(t.sidecar.between === 'h2' ? { h2: true } : {}),
      });
    podHops.set(s.name, hops);
  });

  const nodes = unique([...pods.map((p) => p.node), ...proxies.map((p) => p.node)]).sort(byNodeNumber);
  const path = pathOf([...sharedHops, ...(podHops.get(serverPodName(1)) ?? [])]);
  return { mode, pods, nodes, proxies, sharedHops, podHops, path };
}

const HOP_LABEL: Record<HopKind, string> = {
  'client-sidecar': 'client-sidecar',
  'node-outbound': 'ztunnel-outbound',
  waypoint: 'waypoint',
  'node-inbound': 'ztunnel-inbound',
  'server-sidecar': 'server-sidecar',
};

/**
 * ["client", "haproxy:client-sidecar(l7)", "mTLS", "haproxy:server-sidecar(l7)", "app"]: a hop per proxy,
 * "mTLS" per encrypted link ("mTLS (h2)" where the proxies speak HTTP/2 over it).
 */
export function pathOf(hops: PlannedHop[]): string[] {
  const path = ['client'];
  for (const h of hops) {
    if (h.mtls) path.push(h.h2 ? 'mTLS (h2)' : 'mTLS');
    path.push(`haproxy:${HOP_LABEL[h.kind]}(${h.mode === 'http' ? 'l7' : 'l4'})`);
  }
  path.push('app');
  return path;
}

export function topologyRecord(plan: TopologyPlan, implementation: string): ModeTopologyRecord {
  return {
    mode: plan.mode.name,
    pods: plan.pods,
    nodes: plan.nodes,
    proxies: plan.proxies.map((p) => ({ ...p, implementation })),
    path: plan.path,
  };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function byNodeNumber(a: string, b: string): number {
  return Number(a.slice(5)) - Number(b.slice(5));
}
