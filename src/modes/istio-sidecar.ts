import type { ModeDefinition } from './mode.js';

export const istioSidecar: ModeDefinition = {
  name: 'istio-sidecar',
  title: 'Istio sidecar (Envoy per pod, mTLS)',
  description:
    'An L7 Envoy sidecar in every pod; client sidecar -> mutual TLS -> server sidecar -> app. Locally: one HTTP-mode HAProxy per pod with mTLS between them.',
  topology: { sidecar: { layer: 'l7', mtls: true } },
  kubernetes: {
    namespaceLabels: { 'istio-injection': 'enabled' },
    sidecarContainers: ['istio-proxy'],
    enrolmentAnnotations: [{ name: 'sidecar.istio.io/status' }],
    istioRevision: { dropLabel: 'istio-injection' },
    peerAuthentication: 'STRICT',
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
    sidecarImplementation: 'envoy (istio-proxy)',
    requires: {
      crds: [
        {
          name: 'peerauthentications.security.istio.io',
          fix: 'install Istio, which installs its CRDs (istioctl install or helm install istio-base)',
        },
      ],
      deployments: [
        {
          labelSelector: 'app=istiod',
          what: 'istiod (Istio control plane)',
          fix: 'install Istio (istioctl install, or the AKS Istio add-on) and set kubernetes.istioRevision if it uses revisions',
        },
      ],
    },
  },
};
