/**
 * A mode is how workloads join a mesh. Each mode file declares its proxy topology as data; platforms
 * (local, kubernetes) turn that data into running proxies, and the generic sampler and cost model read
 * the scopes. Adding a mesh means adding one file here (plus its manifests), then listing it in registry.ts.
 */
export const MODE_NAMES = ['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'] as const;
export type ModeName = (typeof MODE_NAMES)[number];

/** What a proxy's cost is charged to: one pod (sidecar), one node (ztunnel) or one namespace (waypoint). */
export type ProxyScope = 'pod' | 'node' | 'namespace';

/** The role a proxy plays in the request path; used in reports and to find proxies again. */
export type ProxyRole = 'client-sidecar' | 'server-sidecar' | 'node-proxy' | 'waypoint';

/**
 * The data plane of a mode, as the request sees it. Hops in order:
 *   client [-> client sidecar] [-> source node proxy] [-> waypoint] [-> destination node proxy] [-> server sidecar] -> app
 * Every field that is absent is a hop that does not exist.
 */
export interface Topology {
  /** One proxy per pod (client and every server replica). `layer` is what it parses: 'l7' HTTP or 'l4' TCP. */
  sidecar?: { layer: 'l7' | 'l4'; mtls: boolean };
  /** One L4 proxy per node (ztunnel): outbound on the client's node, inbound on the server's. Always mTLS. */
  nodeProxy?: { mtls: true };
  /** One L7 proxy per namespace between the node proxies (Istio waypoint). Requires nodeProxy. */
  waypoint?: { mtls: true };
}

/** Facts a Kubernetes platform needs to enrol a namespace and find the mode's proxies (issue 5 fills the rest). */
export interface KubernetesEnrolment {
  namespaceLabels: Record<string, string>;
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  /** Container names that, when present in a pod (containers or initContainers), prove sidecar injection. */
  sidecarContainers: string[];
}

export interface ModeDefinition {
  name: ModeName;
  /** One line for reports and `--help`. */
  title: string;
  /** What the mode is in production, and what a local run emulates of it. */
  description: string;
  topology: Topology;
  kubernetes: KubernetesEnrolment;
}
