import type { ResourceUsage } from '../cost/resource-cost.js';
import type { ModeDefinition, ModeName, ProxyScope } from '../modes/mode.js';
import { serviceKey, type EnvoyToday, type Inventory, type InventoryService } from './inventory.js';
import type { ProxyModel } from './models.js';
import { scopeOfKind, type ProxyKind } from './proxy-kind.js';
import {
  expectedUsage,
  extrapolation,
  recommend,
  type Extrapolation,
  type Recommendation,
} from './recommend.js';
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

/**
 * One row per service: every pod gets a sidecar sized for the service's peak RPS per pod. Services with the
 * same peak share one recommendation (the same objects: rows are read, never changed), which keeps a
 * 100,000-service inventory's rows small.
 */
export function sidecarRows(
  mode: ModeName,
  model: ProxyModel,
  inv: Inventory,
  s: SizingSettings,
): ProxyRow[] {
  // Inventories repeat the same few peaks, averages and replica counts: each figure is worked out once and
  // shared between rows, so that a row is one object, not ten.
  const byPeak = new Map<number, { r: Recommendation; byReplicas: [ResourceUsage, ResourceUsage][] }>();
  const byAvg = new Map<number, { each: ResourceUsage; byReplicas: ResourceUsage[] }>();
  const ranges = new Map<string, Extrapolation>();
  const rows: ProxyRow[] = new Array<ProxyRow>(inv.services.length);
  inv.services.forEach((svc, i) => {
    const n = svc.replicas;
    let peak = byPeak.get(svc.peakRpsPerPod);
    if (!peak) {
      peak = { r: recommend(model, svc.peakRpsPerPod, s), byReplicas: [] };
      byPeak.set(svc.peakRpsPerPod, peak);
    }
    const reserved = (peak.byReplicas[n] ??= [times(peak.r.requests, n), times(peak.r.limits, n)]);
    let avg = byAvg.get(svc.avgRpsPerPod);
    if (!avg) {
      avg = { each: expectedUsage(model, svc.avgRpsPerPod), byReplicas: [] };
      byAvg.set(svc.avgRpsPerPod, avg);
    }
    const e = extrapolation(model, [svc.peakRpsPerPod, svc.avgRpsPerPod]);
    const rangeKey = `${e.above ? 'a' : ''}${e.below ? 'b' : ''}`;
    const range = ranges.get(rangeKey) ?? (ranges.set(rangeKey, e), e);
    rows[i] = {
      mode,
      kind: 'sidecar',
      scope: scopeOfKind('sidecar'),
      name: svc.name,
      namespace: svc.namespace,
      instances: n,
      peakRps: svc.peakRpsPerPod,
      avgRps: svc.avgRpsPerPod,
      modelAtPeak: peak.r.modelAtPeak,
      requests: peak.r.requests,
      limits: peak.r.limits,
      floored: peak.r.floored,
      expectedPerInstance: avg.each,
      reserved: reserved[0],
      limitsTotal: reserved[1],
      expected: (avg.byReplicas[n] ??= times(avg.each, n)),
      extrapolation: range,
      today: svc.envoy,
    };
  });
  return rows;
}

const nodeRpsOf = new WeakMap<Inventory, { node: string; peakRps: number; avgRps: number }[]>();

/** RPS through each node: the sum over the pods on it of their RPS per pod (worked out once per inventory). */
export function nodeRps(inv: Inventory): { node: string; peakRps: number; avgRps: number }[] {
  const known = nodeRpsOf.get(inv);
  if (known) return known;
  const byKey = new Map<string, InventoryService>(inv.services.map((svc) => [serviceKey(svc), svc]));
  const result = inv.nodes.map((n) => {
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
  nodeRpsOf.set(inv, result);
  return result;
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
  let busiest = 0;
  for (const n of nodes) if (n.peakRps > busiest) busiest = n.peakRps;
  return row(mode.name, 'node-proxy', model, s, {
    name: mode.kubernetes.sharedProxies?.nodeProxy?.implementation ?? 'node-proxy',
    namespace: null,
    peakRps: busiest,
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
  // One pass over the services (grouping per namespace), not one pass per namespace.
  const byNamespace = new Map<string, InventoryService[]>();
  for (const svc of inv.services) {
    const members = byNamespace.get(svc.namespace);
    if (members) members.push(svc);
    else byNamespace.set(svc.namespace, [svc]);
  }
  return [...byNamespace].map(([ns, members]) => {
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
