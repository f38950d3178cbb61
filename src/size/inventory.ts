/**
 * The services to size, whatever they were read from (an inventory file or a cluster), and where their pods
 * run. RPS is per pod and counts every request that passes through the pod's proxy (see docs/SIZING.md).
 */

/** CPU (millicores) and memory (MiB) of a container's requests or limits; a field is absent when unset. */
export interface ContainerResources {
  cpuMillicores?: number;
  memMiB?: number;
}

/** Today's App Mesh Envoy of one service, as far as it is known. */
export interface EnvoyToday {
  /**
   * 'inventory': stated in the inventory file, 'cluster': read from the pods, 'none': the pods have no Envoy
   * (the service is not in App Mesh today, so it reserves nothing for a proxy).
   */
  source: 'inventory' | 'cluster' | 'none';
  /** Requests as Kubernetes applies them (unset request with a limit: the limit; neither: 0). */
  requests: { cpuMillicores: number; memMiB: number };
  limits: ContainerResources;
  /** Request fields the inventory left out, filled with App Mesh's controller defaults (see APPMESH_DEFAULT_REQUESTS). */
  assumed: ('cpu' | 'memory')[];
}

export interface InventoryService {
  namespace: string;
  name: string;
  replicas: number;
  /** Requests per second through one pod's proxy at the service's peak, and on average. */
  peakRpsPerPod: number;
  avgRpsPerPod: number;
  /** Instance type of the nodes the pods run on; null when not stated. */
  instanceType: string | null;
  /** Nodes the service's pods are spread over. */
  nodes: number;
  envoy: EnvoyToday;
  /** Where the service was read from, for messages: "inventory.csv line 4", "services[2]", "cluster". */
  origin: string;
}

/** One node and the pods of inventory services on it. */
export interface PlacedNode {
  name: string;
  instanceType: string | null;
  pods: { service: string; count: number }[];
}

export interface NodePool {
  instanceType: string | null;
  nodes: number;
}

export interface Inventory {
  /** The file, or "cluster <context>". */
  source: string;
  services: InventoryService[];
  /** Every node a node proxy (ztunnel, a DaemonSet) would run on, with the inventory's pods on it. */
  nodes: PlacedNode[];
  pools: NodePool[];
  /** 'derived': placement worked out from the inventory (see placement.ts); 'observed': read from the cluster. */
  placement: 'derived' | 'observed';
  /** What the reader noticed and the user should know (deployments skipped, rollouts in progress, ...). */
  notes: string[];
}

export function serviceKey(s: { namespace: string; name: string }): string {
  return `${s.namespace}/${s.name}`;
}

/**
 * What App Mesh reserves for an Envoy whose requests nobody set: the controller's defaults
 * (aws/eks-charts stable/appmesh-controller/values.yaml: sidecar.resources.requests cpu 10m, memory 32Mi;
 * no limits).
 */
export const APPMESH_DEFAULT_REQUESTS = { cpuMillicores: 10, memMiB: 32 } as const;
