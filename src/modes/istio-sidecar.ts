import {
  ISTIO_NOT_ENROLLED,
  ISTIOD,
  PUBLISHED_SIDECAR,
  PEER_AUTHENTICATION_CRD,
  PEER_AUTHENTICATION_KIND,
  istioRevision,
  strictPeerAuthentication,
} from './istio.js';
import type { ModeDefinition } from './mode.js';

export const istioSidecar: ModeDefinition<'istio-sidecar'> = {
  name: 'istio-sidecar',
  title: 'Istio sidecar (Envoy per pod, mTLS)',
  description:
    'An L7 Envoy sidecar in every pod; client sidecar -> mutual TLS -> server sidecar -> app. Locally: one HTTP-mode HAProxy per pod with mTLS between them.',
  topology: { sidecar: { layer: 'l7', mtls: true } },
  published: PUBLISHED_SIDECAR,
  kubernetes: {
    namespaceLabels: { 'istio-injection': 'enabled' },
    revision: istioRevision(['istio-injection']),
    optOut: {
      namespaceLabels: { 'istio-injection': 'disabled' },
      podLabels: { 'sidecar.istio.io/inject': 'false' },
    },
    sidecarContainers: ['istio-proxy'],
    injectedInitContainers: ['istio-init'],
    enrolmentAnnotations: [{ name: 'sidecar.istio.io/status' }],
    meshObjects: (run) => [strictPeerAuthentication(run)],
    kinds: [PEER_AUTHENTICATION_KIND],
    // 15021 readiness and 15020 quitquitquit are the pilot-agent's ports (shared/reference/mesh-modes.md).
    proxyAdmin: {
      readyUrl: 'http://127.0.0.1:15021/healthz/ready',
      quitUrl: 'http://127.0.0.1:15020/quitquitquit',
    },
    // Native sidecar where the cluster supports it (the proxy then ends with the k6 container); k6 starts only
    // once the proxy is up, so its first requests are not refused.
    loadPodAnnotations: {
      'sidecar.istio.io/nativeSidecar': 'true',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
    },
    nativeSidecarAnnotation: { name: 'sidecar.istio.io/nativeSidecar', value: 'true' },
    sidecarImplementation: 'envoy (istio-proxy)',
    sidecarImage: 'docker.io/istio/proxyv2',
    // istio/istio manifests/charts/istio-control/istio-discovery/values.yaml, global.proxy.resources.
    sidecarDefaultResources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '2000m', memory: '1024Mi' },
    },
    requires: { crds: [PEER_AUTHENTICATION_CRD], controlPlanes: [ISTIOD] },
    notEnrolledHint: ISTIO_NOT_ENROLLED,
  },
};
