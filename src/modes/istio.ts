import type { K8sObject } from '../platforms/kubernetes/manifest-files.js';
import { field, meshObject } from './mesh-object.js';
import type {
  ControlPlane,
  KubernetesEnrolment,
  MeshKind,
  MeshRun,
  PublishedFigure,
  SharedProxy,
} from './mode.js';

/**
 * Facts shared by the Istio modes (istio-sidecar, istio-ambient, istio-waypoint): control plane, revisions,
 * CRDs, mutual TLS and the ambient node proxy. Sources: shared/reference/mesh-modes.md and the CRDs in
 * shared/crds/istio.yaml (security.istio.io/v1) and gateway-api-standard.yaml (gateway.networking.k8s.io/v1).
 */
const INSTALL_ISTIO = 'install Istio, which installs its CRDs (istioctl install or helm install istio-base)';
const INSTALL_AMBIENT = 'install Istio with the ambient profile: istioctl install --set profile=ambient';

export const ISTIOD: ControlPlane = {
  what: 'istiod (Istio control plane)',
  fix: 'install Istio (istioctl install, or the AKS Istio add-on) and set kubernetes.istioRevision if it uses revisions',
  find: { deployment: 'app=istiod' },
  namespace: 'istio-system',
  version: 'istio',
  image: 'docker.io/istio/pilot',
};

const ZTUNNEL: ControlPlane = {
  what: 'ztunnel (ambient node proxy)',
  fix: INSTALL_AMBIENT,
  find: { daemonSet: 'ztunnel' },
  namespace: 'istio-system',
  version: 'ztunnel',
  image: 'docker.io/istio/ztunnel',
};

const ISTIO_CNI: ControlPlane = {
  what: 'istio-cni (ambient traffic redirection)',
  fix: INSTALL_AMBIENT,
  find: { daemonSet: 'istio-cni-node' },
  namespace: 'istio-system',
  image: 'docker.io/istio/install-cni',
};

export const PEER_AUTHENTICATION_CRD = { name: 'peerauthentications.security.istio.io', fix: INSTALL_ISTIO };
export const GATEWAY_CRD = {
  name: 'gateways.gateway.networking.k8s.io',
  fix: 'install the Gateway API CRDs (standard channel) before Istio: kubectl apply -f standard-install.yaml from kubernetes-sigs/gateway-api',
};

/**
 * A control-plane revision (the AKS add-on's asm-X-Y): namespaces carry `istio.io/rev=<revision>`, and lose
 * `istio-injection`, which would win over it (the add-on only honours `istio.io/rev`).
 */
export function istioRevision(replaces: string[] = []): NonNullable<KubernetesEnrolment['revision']> {
  return { label: 'istio.io/rev', replaces, of: (s) => s.istioRevision };
}

export const PEER_AUTHENTICATION_KIND: MeshKind = {
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  plural: 'peerauthentications',
  namespaced: true,
};

/** Strict mutual TLS for every workload of the namespace: a plaintext request is refused, not measured. */
export function strictPeerAuthentication(run: MeshRun): K8sObject {
  const pa = meshObject(run, 'istio/peer-authentication.yaml', { namespaced: true });
  field(pa, 'spec', 'mtls').mode = 'STRICT';
  return pa;
}

export const ZTUNNEL_PROXY: SharedProxy & { daemonSet: string } = {
  name: 'ztunnel',
  daemonSet: 'ztunnel',
  labelSelector: 'app=ztunnel',
  container: 'istio-proxy',
  implementation: 'ztunnel',
  image: 'docker.io/istio/ztunnel',
};

/** What ambient modes require and how their pods prove enrolment (redirection by istio-cni, no sidecar). */
export const AMBIENT = {
  enrolmentAnnotations: [{ name: 'ambient.istio.io/redirection', value: 'enabled' }],
  requires: { crds: [PEER_AUTHENTICATION_CRD], controlPlanes: [ISTIOD, ZTUNNEL, ISTIO_CNI] },
  optOut: { namespaceLabels: { 'istio.io/dataplane-mode': 'none' } },
} satisfies Partial<KubernetesEnrolment>;

export const ISTIO_NOT_ENROLLED =
  "Istio's control plane or injection webhook is missing, or (with revisions) kubernetes.istioRevision does not name the installed revision; run `meshbench doctor --platform kubernetes`";

/**
 * Istio's published data-plane figures (istio.io, Performance and Scalability, Istio 1.24): per proxy at 1000
 * RPS through it with a 1 KB payload. The page's latency figures (added P90/P99) are not carried: they could
 * not be checked against the source here.
 */
const ISTIO_1_24 = {
  rps: 1000,
  conditions: 'Istio 1.24; 1000 RPS, 1 KB payload, HTTP/1.1, mutual TLS, 2 proxy worker threads',
  source: {
    title: 'Istio: Performance and Scalability (1.24)',
    url: 'https://istio.io/v1.24/docs/ops/deployment/performance-and-scalability/',
  },
};

function istioProxy(
  role: PublishedFigure['role'],
  what: string,
  vcpu: number,
  mb: number,
): PublishedFigure[] {
  return [
    { ...ISTIO_1_24, kind: 'proxy-cpu', role, value: vcpu, label: `${what} CPU (vCPU per 1000 RPS)` },
    { ...ISTIO_1_24, kind: 'proxy-memory', role, statistic: 'mean', value: mb, label: `${what} memory (MB)` },
  ];
}

export const PUBLISHED_SIDECAR = istioProxy('server-sidecar', 'sidecar (Envoy)', 0.2, 60);
export const PUBLISHED_ZTUNNEL = istioProxy('node-proxy', 'ztunnel', 0.06, 12);
export const PUBLISHED_WAYPOINT = istioProxy('waypoint', 'waypoint (Envoy)', 0.25, 60);
