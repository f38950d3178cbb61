import type { ProxyInfo } from '../../src/results/schema.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { syntheticResults, type CellKey } from './synthetic-results.js';

/**
 * Results whose proxies use exactly a known linear function of the RPS through them, so that fitted models,
 * and every figure sized from them, can be worked out by hand. Topology: a client and 2 servers on 2 nodes
 * (client and server-0 on node-1, server-1 on node-2). With achieved rate R, the RPS through each proxy is:
 * client sidecar R, each server sidecar R/2, node-1's node proxy 1.5R (client out + server-0 in), node-2's
 * 0.5R, the waypoint R.
 */
export const LINEAR_LOADS = {
  sidecar: { cpu: [2, 0.1], mem: [40, 0.02] },
  'node-proxy': { cpu: [5, 0.05], mem: [20, 0.01] },
  waypoint: { cpu: [10, 0.2], mem: [50, 0.05] },
} as const;

export const LINEAR_TIERS = [
  { name: 'low', rps: 100 },
  { name: 'medium', rps: 500 },
  { name: 'high', rps: 1000 },
];

export function rpsThrough(p: ProxyInfo, rate: number): number {
  if (p.role === 'client-sidecar' || p.role === 'waypoint') return rate;
  if (p.role === 'server-sidecar') return rate / 2;
  return p.node === 'node-1' ? 1.5 * rate : 0.5 * rate;
}

export function linearLoadResults(
  opts: {
    modes?: ResultsFile['spec']['modes'];
    tiers?: { name: string; rps: number }[];
    seed?: number;
    jitter?: number;
  } = {},
): ResultsFile {
  const tiers = opts.tiers ?? LINEAR_TIERS;
  return syntheticResults({
    modes: opts.modes ?? ['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'],
    tiers,
    replicas: 2,
    nodes: 2,
    repetitions: 2,
    seed: opts.seed ?? 1,
    proxyLoad: (p: ProxyInfo, key: CellKey) => {
      const rate = tiers.find((t) => t.name === key.tier)?.rps ?? 0;
      const x = rpsThrough(p, rate);
      const kind = p.role === 'node-proxy' ? 'node-proxy' : p.role === 'waypoint' ? 'waypoint' : 'sidecar';
      const l = LINEAR_LOADS[kind];
      return {
        cpuMillicores: l.cpu[0] + l.cpu[1] * x,
        memMiB: l.mem[0] + l.mem[1] * x,
        ...(opts.jitter ? { jitter: opts.jitter } : {}),
      };
    },
  });
}

/**
 * A hand-sized inventory (docs/SIZING.md walks through the same numbers). Three services on m5.large:
 * checkout (4 pods, 2 per node, Envoy 100m/128Mi today), cart (2 pods on 2 nodes, peak above every measured
 * rate, Envoy requests not given), frontend (3 pods, 1 per node, average below every measured rate).
 */
export const HAND_INVENTORY_YAML = `services:
  - name: checkout
    namespace: shop
    replicas: 4
    peakRpsPerPod: 200
    avgRpsPerPod: 100
    podsPerNode: 2
    instanceType: m5.large
    envoy:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
  - name: cart
    namespace: shop
    replicas: 2
    peakRpsPerPod: 1400
    avgRpsPerPod: 600
    nodes: 2
    instanceType: m5.large
  - name: frontend
    namespace: web
    replicas: 3
    peakRpsPerPod: 60
    avgRpsPerPod: 20
    podsPerNode: 1
    instanceType: m5.large
`;

export const HAND_INVENTORY_CSV = `name,namespace,replicas,peakRpsPerPod,avgRpsPerPod,podsPerNode,nodes,instanceType,envoyCpuRequest,envoyMemoryRequest,envoyCpuLimit,envoyMemoryLimit
checkout,shop,4,200,100,2,,m5.large,100m,128Mi,200m,256Mi
cart,shop,2,1400,600,,2,m5.large,,,,
frontend,web,3,60,20,1,,m5.large,,,,
`;
