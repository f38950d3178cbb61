import type { ResourceUsage } from '../cost/resource-cost.js';
import type { ModeDefinition, ModeName, ProxyScope } from '../modes/mode.js';
import { serviceKey, type EnvoyToday, type Inventory, type InventoryService } from './inventory.js';
import type { ProxyModel } from './models.js';
import { scopeOfKind, type ProxyKind } from './proxy-kind.js';
import { expectedUsage, extrapolation, recommend, type Extrapolation } from './recommend.js';
import type { SizingSettings } from './settings.js';

/**
 * One line of a sizing: a set of identical proxies (a service's sidecars, the node-proxy DaemonSet, one
 * namespace's waypoint) with the requests and limits each gets, and what they add up to.
 */
export interface ProxyRow {
  mode: ModeName;
  kind: ProxyKind;
  scope: ProxyScope;
  /** The service (sidecars), the node proxy's implementation (DaemonSet), or the waypoint's name. */
  name: string;
  /** The service's or waypoint's namespace; null for the node proxy, which serves every namespace. */
  namespace: string | null;
  /** Proxies of this row: the service's replicas, the nodes, or 1 waypoint. */
  instances: number;
  /** RPS each proxy is sized for: the pod's, the busiest node's, the namespace's peak. */
  peakRps: number;
  /** Mean over the row's proxies of their average RPS. */
  avgRps: number;
  modelAtPeak: ResourceUsage;
  requests: ResourceUsage;
  limits: ResourceUsage;
  floored: { cpu: boolean; mem: boolean };
  /** Mean over the row's proxies of the model at their average RPS. */
  expectedPerInstance: ResourceUsage;
  /** requests x instances, limits x instances, and the sum of expected usage. */
  reserved: ResourceUsage;
  limitsTotal: ResourceUsage;
  expected: ResourceUsage;
  extrapolation: Extrapolation;
  /** Sidecar rows: the service's App Mesh Envoy today, for the comparison column. */
  today: EnvoyToday | null;
}

const times = (u: ResourceUsage, n: number): ResourceUsage => ({
  cpuMillicores: u.cpuMillicores * n,
  memMiB: u.memMiB * n,
});

function row(
  mode: ModeName,
  kind: ProxyKind,
  model: ProxyModel,
  s: SizingSettings,
  o: {
    name: string;
    namespace: string | null;
    peakRps: number;
    avgRpsEach: number[];
    today: EnvoyToday | null;
    extraRps?: number[];
  },
): ProxyRow {
  const instances = o.avgRpsEach.length;
  const r = recommend(model, o.peakRps, s);
  const expectedEach = o.avgRpsEach.map((a) => expectedUsage(model, a));
  const expected = expectedEach.reduce(
    (t, u) => ({ cpuMillicores: t.cpuMillicores + u.cpuMillicores, memMiB: t.memMiB + u.memMiB }),
    { cpuMillicores: 0, memMiB: 0 },
  );
  return {
    mode,
    kind,
    scope: scopeOfKind(kind),
    name: o.name,
    namespace: o.namespace,
    instances,
    peakRps: o.peakRps,
    avgRps: instances > 0 ? o.avgRpsEach.reduce((a, b) => a + b, 0) / instances : 0,
    modelAtPeak: r.modelAtPeak,
    requests: r.requests,
    limits: r.limits,
    floored: r.floored,
    expectedPerInstance: instances > 0 ? times(expected, 1 / instances) : { cpuMillicores: 0, memMiB: 0 },
    reserved: times(r.requests, instances),
    limitsTotal: times(r.limits, instances),
    expected,
    extrapolation: extrapolation(model, [o.peakRps, ...o.avgRpsEach, ...(o.extraRps ?? [])]),
    today: o.today,
  };
}

/** One row per service: every pod gets a sidecar sized for the service's peak RPS per pod. */
export function sidecarRows(
  mode: ModeName,
  model: ProxyModel,
  inv: Inventory,
  s: SizingSettings,
): ProxyRow[] {
  return inv.services.map((svc) =>
    row(mode, 'sidecar', model, s, {
      name: svc.name,
      namespace: svc.namespace,
      peakRps: svc.peakRpsPerPod,
      avgRpsEach: new Array<number>(svc.replicas).fill(svc.avgRpsPerPod),
      today: svc.envoy,
    }),
  );
}

/** RPS through each node: the sum over the pods on it of their RPS per pod. */
export function nodeRps(inv: Inventory): { node: string; peakRps: number; avgRps: number }[] {
  const byKey = new Map<string, InventoryService>(inv.services.map((svc) => [serviceKey(svc), svc]));
  return inv.nodes.map((n) => {
    let peakRps = 0;
    let avgRps = 0;
    for (const p of n.pods) {
      const svc = byKey.get(p.service);
      if (!svc) continue;
      peakRps += p.count * svc.peakRpsPerPod;
      avgRps += p.count * svc.avgRpsPerPod;
    }
    return { node: n.name, peakRps, avgRps };
  });
}

/**
 * The node proxy is a DaemonSet: one pod per node, all with the same requests, so they are sized for the
 * busiest node's peak; expected usage is summed node by node at each node's average RPS.
 */
export function nodeProxyRow(
  mode: ModeDefinition,
  model: ProxyModel,
  inv: Inventory,
  s: SizingSettings,
): ProxyRow {
  const nodes = nodeRps(inv);
  return row(mode.name, 'node-proxy', model, s, {
    name: mode.kubernetes.sharedProxies?.nodeProxy?.implementation ?? 'node-proxy',
    namespace: null,
    peakRps: Math.max(0, ...nodes.map((n) => n.peakRps)),
    avgRpsEach: nodes.map((n) => n.avgRps),
    today: null,
    extraRps: nodes.map((n) => n.peakRps),
  });
}

/** One waypoint per namespace, sized for the sum of its services' RPS (every request into it crosses it). */
export function waypointRows(
  mode: ModeDefinition,
  model: ProxyModel,
  inv: Inventory,
  s: SizingSettings,
): ProxyRow[] {
  const namespaces = [...new Set(inv.services.map((svc) => svc.namespace))];
  return namespaces.map((ns) => {
    const members = inv.services.filter((svc) => svc.namespace === ns);
    const sum = (f: (svc: InventoryService) => number) =>
      members.reduce((t, svc) => t + svc.replicas * f(svc), 0);
    return row(mode.name, 'waypoint', model, s, {
      name: mode.kubernetes.sharedProxies?.waypoint?.name ?? 'waypoint',
      namespace: ns,
      peakRps: sum((svc) => svc.peakRpsPerPod),
      avgRpsEach: [sum((svc) => svc.avgRpsPerPod)],
      today: null,
    });
  });
}
