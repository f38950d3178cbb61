import type { K8sObject } from '../platforms/kubernetes/manifest-files.js';
import type { KubernetesSettings } from '../platforms/kubernetes/settings.js';
import type { ModeName } from './registry.js';

/**
 * A mode is how workloads join a mesh. Each mode file declares everything mesh-specific as data (or small
 * functions of the run): its proxy topology, and on Kubernetes its namespace labels, mesh objects, kinds to
 * wait for and delete, control planes, enrolment proof and proxies. Platforms, preflight, teardown and
 * reports loop over these declarations and name no mesh, so adding a mesh is one file here (plus its
 * manifests) and one line in registry.ts.
 */
export { MODE_NAMES, DEFAULT_MODE_NAMES } from './registry.js';
export type { ModeName } from './registry.js';

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
  /**
   * One proxy per pod (client and every server replica). `layer` is what it parses: 'l7' HTTP or 'l4' TCP.
   * `between: 'h2'`: the sidecars speak HTTP/2 to each other whatever the app speaks (linkerd2-proxy
   * upgrades meshed HTTP/1.1 to HTTP/2 between proxies); absent: the app's protocol passes through.
   */
  sidecar?: { layer: 'l7' | 'l4'; mtls: boolean; between?: 'h2' };
  /** One L4 proxy per node (ztunnel): outbound on the client's node, inbound on the server's. Always mTLS. */
  nodeProxy?: { mtls: true };
  /** One L7 proxy per namespace between the node proxies (Istio waypoint). Requires nodeProxy. */
  waypoint?: { mtls: true };
}

/** What a mode's Kubernetes functions know of one (run, mode). */
export interface MeshRun {
  runId: string;
  /** The mode's namespace in this run. */
  namespace: string;
  /** Name for the run's cluster-scoped mesh objects (one per run, e.g. a Mesh); valid as a DNS label. */
  meshName: string;
  settings: KubernetesSettings;
  /** In-cluster host name of the server Service. */
  serverHost: string;
  /** The server's gRPC port when a tier calls gRPC (absent otherwise): meshes that declare ports per protocol add it. */
  grpcPort?: number;
  /** Names the workloads carry in their `app` label. */
  serverApp: string;
  clientApp: string;
  /** Labels every object of this (run, mode) carries; teardown finds objects by them. */
  labels: Record<string, string>;
  /** A fresh copy of manifests/<path>, which the caller may change. */
  manifest(path: string): K8sObject;
}

/**
 * A kind of mesh object, keyed by apiVersion + kind (App Mesh's `Mesh` and Kuma's `Mesh` are different kinds).
 * Cluster-scoped objects and objects outside the run's namespace are deleted by label at teardown; the
 * others go with the namespace. Preflight checks apply rights (get, create, patch, delete; list where
 * teardown lists) for every declared kind.
 */
export interface MeshKind {
  apiVersion: string;
  kind: string;
  /** Resource name in the API path. */
  plural: string;
  namespaced: boolean;
  /** Namespaced objects this mode puts in another namespace than the run's (a mesh's system namespace). */
  outsideRunNamespace?: boolean;
  /**
   * Readiness the platform waits for: a status condition True. `before: 'workloads'`: before any pod is
   * created (an injector needs the object when it admits a pod); `'after-workloads'`: once the workloads are
   * applied (an object the mesh only programs once pods exist). Absent: ready when applied.
   */
  ready?: { condition: string; before: 'workloads' | 'after-workloads' };
}

/** A control-plane component preflight requires, and where the mesh's version is read from (its image tag). */
export interface ControlPlane {
  what: string;
  fix: string;
  /** A Deployment found by label selector in any namespace, or a DaemonSet found by name. */
  find: { deployment: string } | { daemonSet: string };
  /** The namespace its standard install uses (documentation and test doubles; preflight looks everywhere). */
  namespace: string;
  /** Key under results.json's meshVersions for the tag of its first container's image; absent: not recorded. */
  version?: string;
  /** Image repository (without tag) its main container runs, for documentation and test doubles. */
  image: string;
}

/** A pod annotation (`value` absent: any value). */
export interface AnnotationRule {
  name: string;
  value?: string;
}

/** A proxy shared by several pods (node proxy, waypoint), found by label selector, charged by container. */
export interface SharedProxy {
  /** Proxy ids are `<name>-<node>` for node proxies, `<name>` (or `<name>-<i>`) for waypoints. */
  name: string;
  labelSelector: string;
  container: string;
  implementation: string;
  /** Image repository (without tag) of its container, for documentation and test doubles. */
  image: string;
}

/** Facts a Kubernetes platform needs to enrol a namespace in the mode's mesh and find its proxies. */
export interface KubernetesEnrolment {
  /** Namespace labels that enrol it (the mesh's injector or node agent acts on them). */
  namespaceLabels: Record<string, string>;
  /** Namespace annotations that enrol it (Linkerd's injector reads an annotation). */
  namespaceAnnotations?: Record<string, string>;
  /** Namespace label whose value is the run's mesh name (a mesh that selects namespaces by label). */
  meshNameLabel?: string;
  /**
   * Control-plane revisions (Istio): when `of(settings)` names one, the namespace carries `label=<revision>`
   * instead of `replaces` (which would win over it), preflight and versions look only at control planes
   * carrying that label, and mesh objects may carry it too.
   */
  revision?: { label: string; replaces?: string[]; of(settings: KubernetesSettings): string | undefined };
  /** A mode outside every mesh (baseline): it carries every other registered mode's `optOut`. */
  outsideEveryMesh?: boolean;
  /** What keeps a namespace or pod out of this mesh when the mesh is installed (used by `outsideEveryMesh`). */
  optOut?: {
    namespaceLabels?: Record<string, string>;
    namespaceAnnotations?: Record<string, string>;
    podLabels?: Record<string, string>;
  };
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  /** Enrolment proof: container names that, present in a pod (containers or initContainers), prove injection. */
  sidecarContainers: string[];
  /** Init containers the injector adds besides the proxy (traffic redirection); never in a baseline pod. */
  injectedInitContainers?: string[];
  /** Enrolment proof: pod annotations the mesh sets on a pod it enrolled. */
  enrolmentAnnotations?: AnnotationRule[];
  /** The mode's mesh objects for a run: cluster-scoped ones without `metadata.namespace`. */
  meshObjects?(run: MeshRun): K8sObject[];
  /** Every kind `meshObjects` renders. */
  kinds?: MeshKind[];
  /** The per-pod proxy's admin endpoints, from inside the pod: ready before load starts, quit once k6 exits. */
  proxyAdmin?: { readyUrl: string; quitUrl: string };
  /** Annotations for the load (k6) pod only. */
  loadPodAnnotations?: Record<string, string>;
  /** The pod annotation that asks the injector for a native sidecar (an init container that keeps running). */
  nativeSidecarAnnotation?: AnnotationRule & { value: string };
  /**
   * Why the k6-operator's own pods cannot carry this mode's load (App Mesh rejects pods that no VirtualNode
   * selects); absent: a TestRun may be used where the operator is installed.
   */
  noOperatorPods?: string;
  /** Where the mode's shared proxies run. `waypoint.deployment`: the Deployment the mesh creates for it. */
  sharedProxies?: {
    nodeProxy?: SharedProxy & { daemonSet: string };
    waypoint?: SharedProxy & { deployment: string };
  };
  /** Proxy implementation injected into pods, for results.json (version read from the image tag). */
  sidecarImplementation?: string;
  /** Image repository (without tag) of the injected proxy, for documentation and test doubles. */
  sidecarImage?: string;
  /** What the injector reserves for its proxy unless told otherwise (its chart's defaults), as quantities. */
  sidecarDefaultResources?: {
    requests: { cpu: string; memory: string };
    limits?: { cpu: string; memory: string };
  };
  /** What must be installed in the cluster for this mode; checked by preflight. */
  requires?: {
    crds?: { name: string; fix: string }[];
    controlPlanes?: ControlPlane[];
  };
  /** What to check when pods are not enrolled (appended to the enrolment error). */
  notEnrolledHint?: string;
}

/**
 * A figure the mesh's project publishes about itself, with its source and conditions. Reports show it beside
 * this run's comparable figure, labelled as published; it never enters a measured figure.
 */
export interface PublishedFigure {
  /** A proxy's CPU (vCPU per 1000 RPS through it) or memory (MB), or latency added over no mesh (ms). */
  kind: 'proxy-cpu' | 'proxy-memory' | 'added-latency';
  /** Proxy figures: the role whose measured usage compares (a sidecar figure compares with server sidecars). */
  role?: ProxyRole;
  /** Memory: the mean, or the maximum a proxy reached. */
  statistic?: 'mean' | 'max';
  /** Added latency: the percentile. */
  percentile?: 'p50' | 'p90' | 'p99';
  value: number;
  /** What the figure is, in the project's words ("sidecar (Envoy) CPU"). */
  label: string;
  /** The request rate it was measured at: reports compare it with this run's closest tier. */
  rps: number;
  /** Version, load, payload, protocol, environment: whatever the source states. */
  conditions: string;
  source: { title: string; url: string };
}

export interface ModeDefinition<N extends string = ModeName> {
  name: N;
  /** One line for reports and `--help`. */
  title: string;
  /** What the mode is in production, and what a local run emulates of it. */
  description: string;
  /** Not in the default run: only when named (`--modes`, the spec's `modes`), so the default keeps its length. */
  optIn?: boolean;
  topology: Topology;
  kubernetes: KubernetesEnrolment;
  /** Figures the mesh's project publishes (none: nothing attributable was found). */
  published?: PublishedFigure[];
}
