import type { ModeDefinition } from './mode.js';

export const istioWaypoint: ModeDefinition = {
  name: 'istio-waypoint',
  title: 'Istio ambient with a waypoint (ztunnel + L7 waypoint)',
  description:
    'Ambient plus an L7 waypoint proxy per namespace: client -> ztunnel -> mTLS -> waypoint -> mTLS -> ztunnel -> app. Locally: TCP-mode HAProxy per node plus one HTTP-mode HAProxy as the waypoint.',
  topology: { nodeProxy: { mtls: true }, waypoint: { mtls: true } },
  kubernetes: {
    namespaceLabels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' },
    sidecarContainers: [],
  },
};
