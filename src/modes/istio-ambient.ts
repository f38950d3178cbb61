import {
  AMBIENT,
  ISTIO_NOT_ENROLLED,
  PEER_AUTHENTICATION_KIND,
  PUBLISHED_ZTUNNEL,
  ZTUNNEL_PROXY,
  istioRevision,
  strictPeerAuthentication,
} from './istio.js';
import type { ModeDefinition } from './mode.js';

export const istioAmbient: ModeDefinition<'istio-ambient'> = {
  name: 'istio-ambient',
  title: 'Istio ambient (ztunnel per node, L4 mTLS)',
  description:
    "An L4 ztunnel per node; client -> client node's ztunnel -> mutual TLS -> server node's ztunnel -> app. Locally: one TCP-mode HAProxy per emulated node.",
  topology: { nodeProxy: { mtls: true } },
  published: PUBLISHED_ZTUNNEL,
  kubernetes: {
    namespaceLabels: { 'istio.io/dataplane-mode': 'ambient' },
    revision: istioRevision(),
    optOut: AMBIENT.optOut,
    sidecarContainers: [],
    enrolmentAnnotations: AMBIENT.enrolmentAnnotations,
    meshObjects: (run) => [strictPeerAuthentication(run)],
    kinds: [PEER_AUTHENTICATION_KIND],
    sharedProxies: { nodeProxy: ZTUNNEL_PROXY },
    requires: AMBIENT.requires,
    notEnrolledHint: ISTIO_NOT_ENROLLED,
  },
};
