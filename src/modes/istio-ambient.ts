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
  },
};
