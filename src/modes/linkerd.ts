import type { ControlPlane, ModeDefinition } from './mode.js';

/**
 * Linkerd: linkerd2-proxy (Rust, L7) as a sidecar in every pod, mutual TLS between proxies, and HTTP/2
 * between proxies whatever the app speaks (meshed HTTP/1.1 is carried over HTTP/2). Enrolment needs only the
 * namespace annotation `linkerd.io/inject: enabled`: no Linkerd object is rendered. Facts from linkerd/linkerd2
 * (charts/partials: `linkerd.io/proxy-version`, container `linkerd-proxy`, init `linkerd-init`, control-plane
 * Deployments labelled `linkerd.io/control-plane-component`, admin port 4191 with /ready and /shutdown) and
 * linkerd.io (native sidecar annotation, 2.19 release notes).
 */
const INSTALL =
  'install Linkerd: linkerd install --crds | kubectl apply -f - && linkerd install | kubectl apply -f - (or the linkerd-crds and linkerd-control-plane Helm charts)';

/** Linkerd's own published benchmark (the figures are for the whole benchmark application at 2,000 RPS). */
const LINKERD_2_11_1 = {
  rps: 2000,
  conditions:
    'Linkerd 2.11.1; Kinvolk service-mesh-benchmark harness, 2,000 RPS sustained for 10 min, mutual TLS, bare-metal Equinix Metal s3.xlarge.x86 nodes, Kubernetes 1.21',
  source: {
    title: 'Benchmarking Linkerd and Istio: 2021 Redux (linkerd.io, 2021-11-29)',
    url: 'https://linkerd.io/2021/11/29/linkerd-vs-istio-benchmarks-2021/',
  },
};

const component = (name: string, what: string, version?: string): ControlPlane => ({
  what,
  fix: INSTALL,
  find: { deployment: `linkerd.io/control-plane-component=${name}` },
  namespace: 'linkerd',
  ...(version ? { version } : {}),
  image: 'cr.l5d.io/linkerd/controller',
});

export const linkerd: ModeDefinition<'linkerd'> = {
  name: 'linkerd',
  title: 'Linkerd (linkerd2-proxy per pod, mTLS, HTTP/2 between proxies)',
  description:
    'An L7 linkerd2-proxy sidecar in every pod; client proxy -> mutual TLS, HTTP/2 -> server proxy -> app. Locally: one HTTP-mode HAProxy per pod, mTLS and HTTP/2 between them.',
  optIn: true,
  topology: { sidecar: { layer: 'l7', mtls: true, between: 'h2' } },
  published: [
    {
      ...LINKERD_2_11_1,
      kind: 'added-latency',
      percentile: 'p50',
      value: 6,
      label: 'median latency added over no mesh, whole application (ms)',
    },
    {
      ...LINKERD_2_11_1,
      kind: 'proxy-memory',
      role: 'server-sidecar',
      statistic: 'max',
      value: 26.3,
      label: 'maximum memory of a proxy, mean over runs (MB)',
    },
  ],
  kubernetes: {
    namespaceLabels: {},
    namespaceAnnotations: { 'linkerd.io/inject': 'enabled' },
    optOut: { namespaceAnnotations: { 'linkerd.io/inject': 'disabled' } },
    sidecarContainers: ['linkerd-proxy'],
    injectedInitContainers: ['linkerd-init'],
    enrolmentAnnotations: [{ name: 'linkerd.io/proxy-version' }],
    // The proxy's admin server: /ready before load; /shutdown once k6 is done (for classic sidecars).
    proxyAdmin: { readyUrl: 'http://127.0.0.1:4191/ready', quitUrl: 'http://127.0.0.1:4191/shutdown' },
    // A native sidecar ends with the k6 container; the annotation is alpha before 2.19, beta since. Where the
    // proxy is a classic sidecar, the wrapper POSTs /shutdown, which Linkerd disables by default since
    // mid-2024 (linkerd2 #12705) unless the workload opts in with config.linkerd.io/proxy-admin-shutdown.
    loadPodAnnotations: {
      'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'true',
      'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true',
      'config.linkerd.io/proxy-admin-shutdown': 'enabled',
    },
    nativeSidecarAnnotation: { name: 'config.beta.linkerd.io/proxy-enable-native-sidecar', value: 'true' },
    sidecarImplementation: 'linkerd2-proxy',
    sidecarImage: 'cr.l5d.io/linkerd/proxy',
    requires: {
      controlPlanes: [
        component('identity', 'linkerd-identity (Linkerd control plane: mTLS certificates)', 'linkerd'),
        component('destination', 'linkerd-destination (Linkerd control plane: service discovery, policy)'),
        component('proxy-injector', 'linkerd-proxy-injector (Linkerd control plane: sidecar injection)'),
      ],
    },
    notEnrolledHint:
      "Linkerd's control plane (its proxy injector) is missing or does not act on the namespace's linkerd.io/inject annotation; run `meshbench doctor --platform kubernetes`",
  },
};
