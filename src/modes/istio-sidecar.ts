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
  },
};
