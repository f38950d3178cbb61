import { serviceKey, type InventoryService, type NodePool, type PlacedNode } from './inventory.js';

/**
 * Where an inventory file's pods run, when only each service's node count is known. The assumption (printed
 * with every sizing): services with the same instance type share one node pool, as large as the widest
 * service needs (the fewest nodes that fit every service's spread); a scheduler balancing the pool places
 * each service on its own run of consecutive nodes, starting where the previous service ended, and spreads
 * its pods over them as evenly as possible. Only node proxies (ztunnel) depend on it: their total usage is
 * linear in the pool's RPS whatever the placement; the busiest node, which sets the DaemonSet's requests, is
 * what the placement decides.
 */
export interface Placement {
  nodes: PlacedNode[];
  pools: NodePool[];
}

/** Pods of `replicas` over `nodes` nodes, as evenly as possible: the first (replicas mod nodes) get one more. */
export function spreadPods(replicas: number, nodes: number): number[] {
  const base = Math.floor(replicas / nodes);
  const extra = replicas % nodes;
  return Array.from({ length: nodes }, (_, i) => base + (i < extra ? 1 : 0));
}

function nodeName(instanceType: string | null, i: number): string {
  return `${instanceType ?? 'node'}-${i + 1}`;
}

export function derivePlacement(services: readonly InventoryService[]): Placement {
  const byType = new Map<string | null, InventoryService[]>();
  for (const s of services) {
    const members = byType.get(s.instanceType);
    if (members) members.push(s);
    else byType.set(s.instanceType, [s]);
  }
  const nodes: PlacedNode[] = [];
  const pools: NodePool[] = [];
  for (const [type, members] of byType) {
    // A loop, not Math.max(...members): an argument list of 100,000 services overflows the stack.
    let size = 0;
    for (const s of members) if (s.nodes > size) size = s.nodes;
    const pool: PlacedNode[] = Array.from({ length: size }, (_, i) => ({
      name: nodeName(type, i),
      instanceType: type,
      pods: [],
    }));
    let cursor = 0;
    for (const s of members) {
      spreadPods(s.replicas, s.nodes).forEach((count, j) => {
        const node = pool[(cursor + j) % size];
        if (node && count > 0) node.pods.push({ service: serviceKey(s), count });
      });
      cursor = (cursor + s.nodes) % size;
    }
    nodes.push(...pool);
    pools.push({ instanceType: type, nodes: size });
  }
  return { nodes, pools };
}
