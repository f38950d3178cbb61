/**
 * A mode is how workloads join a mesh. Each mode file declares its proxy topology as data; platforms
 * (local, kubernetes) turn that data into running proxies, and the generic sampler and cost model read
 * the scopes. Adding a mesh means adding one file here (plus its manifests), then listing it in registry.ts.
 */
export const MODE_NAMES = [
  'baseline',
  'istio-sidecar',
  'istio-ambient',
  'istio-waypoint',
  'appmesh',
] as const;
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
  /** Pod annotations that prove a pod is enrolled (`value` absent: any value). */
  enrolmentAnnotations?: { name: string; value?: string }[];
  /**
   * Istio: when the spec names a control-plane revision, the namespace gets `istio.io/rev=<revision>` and loses
   * `dropLabel` (`istio-injection` would win over the revision label; the AKS add-on only honours `istio.io/rev`).
   */
  istioRevision?: { dropLabel?: string };
  /** Istio: a `security.istio.io/v1` PeerAuthentication `default` in the namespace with this mTLS mode. */
  peerAuthentication?: 'STRICT';
  /** Istio ambient: a waypoint Gateway of this name and class in the namespace. */
  waypoint?: { name: string; gatewayClassName: string };
  /** App Mesh: a Mesh that selects the namespace by this namespace label; its value becomes the run's mesh name. */
  appMesh?: { meshLabel: string };
  /** The per-pod proxy's admin endpoints, from inside the pod: ready before load starts, quit once k6 exits. */
  proxyAdmin?: { readyUrl: string; quitUrl: string };
  /** Annotations for the load (k6) pod only. */
  loadPodAnnotations?: Record<string, string>;
  /** Where the mode's shared proxies run: node proxies (ztunnel) and waypoints, as label selectors + container. */
  sharedProxies?: {
    nodeProxy?: { labelSelector: string; container: string; implementation: string };
    waypoint?: { labelSelector: string; container: string; implementation: string };
  };
  /** Proxy implementation injected into pods, for results.json (version read from the image tag). */
  sidecarImplementation?: string;
  /** What must be installed in the cluster for this mode; checked by preflight. */
  requires?: {
    crds?: { name: string; fix: string }[];
    /** Control planes, found by label selector in any namespace. */
    deployments?: { labelSelector: string; what: string; fix: string }[];
    /** Node agents, found by name in any namespace. */
    daemonSets?: { name: string; what: string; fix: string }[];
  };
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
