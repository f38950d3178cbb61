import type { ModeDefinition } from './mode.js';

export const istioAmbient: ModeDefinition = {
  name: 'istio-ambient',
  title: 'Istio ambient (ztunnel per node, L4 mTLS)',
  description:
    "An L4 ztunnel per node; client -> client node's ztunnel -> mutual TLS -> server node's ztunnel -> app. Locally: one TCP-mode HAProxy per emulated node.",
  topology: { nodeProxy: { mtls: true } },
  kubernetes: {
    namespaceLabels: { 'istio.io/dataplane-mode': 'ambient' },
    sidecarContainers: [],
    enrolmentAnnotations: [{ name: 'ambient.istio.io/redirection', value: 'enabled' }],
    istioRevision: {},
    peerAuthentication: 'STRICT',
    sharedProxies: {
      nodeProxy: { labelSelector: 'app=ztunnel', container: 'istio-proxy', implementation: 'ztunnel' },
    },
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
      daemonSets: [
        {
          name: 'ztunnel',
          what: 'ztunnel (ambient node proxy)',
          fix: 'install Istio with the ambient profile: istioctl install --set profile=ambient',
        },
        {
          name: 'istio-cni-node',
          what: 'istio-cni (ambient traffic redirection)',
          fix: 'install Istio with the ambient profile: istioctl install --set profile=ambient',
        },
      ],
    },
  },
};
