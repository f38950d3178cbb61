import type { K8sObject } from '../platforms/kubernetes/manifest-files.js';
import {
  AMBIENT,
  GATEWAY_CRD,
  ISTIO_NOT_ENROLLED,
  PEER_AUTHENTICATION_KIND,
  PUBLISHED_WAYPOINT,
  PUBLISHED_ZTUNNEL,
  ZTUNNEL_PROXY,
  istioRevision,
  strictPeerAuthentication,
} from './istio.js';
import { field, meshObject } from './mesh-object.js';
import type { MeshRun, ModeDefinition } from './mode.js';

const WAYPOINT = 'waypoint';

/** The namespace's waypoint: a Gateway of class istio-waypoint, for which Istio creates a Deployment of that name. */
function waypointGateway(run: MeshRun): K8sObject {
  const rev = run.settings.istioRevision;
  // With revisions, the waypoint must be programmed by the same control plane as the namespace.
  const gw = meshObject(run, 'istio/waypoint.yaml', {
    namespaced: true,
    name: WAYPOINT,
    ...(rev ? { labels: { 'istio.io/rev': rev } } : {}),
  });
  field(gw, 'spec').gatewayClassName = 'istio-waypoint';
  return gw;
}

export const istioWaypoint: ModeDefinition<'istio-waypoint'> = {
  name: 'istio-waypoint',
  title: 'Istio ambient with a waypoint (ztunnel + L7 waypoint)',
  description:
    'Ambient plus an L7 waypoint proxy per namespace: client -> ztunnel -> mTLS -> waypoint -> mTLS -> ztunnel -> app. Locally: TCP-mode HAProxy per node plus one HTTP-mode HAProxy as the waypoint.',
  topology: { nodeProxy: { mtls: true }, waypoint: { mtls: true } },
  published: [...PUBLISHED_ZTUNNEL, ...PUBLISHED_WAYPOINT],
  kubernetes: {
    namespaceLabels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': WAYPOINT },
    revision: istioRevision(),
    optOut: AMBIENT.optOut,
    sidecarContainers: [],
    enrolmentAnnotations: AMBIENT.enrolmentAnnotations,
    meshObjects: (run) => [strictPeerAuthentication(run), waypointGateway(run)],
    kinds: [
      PEER_AUTHENTICATION_KIND,
      // Istio programs the waypoint once the namespace exists; it is waited for after the workloads.
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        plural: 'gateways',
        namespaced: true,
        ready: { condition: 'Programmed', before: 'after-workloads' },
      },
    ],
    sharedProxies: {
      nodeProxy: ZTUNNEL_PROXY,
      waypoint: {
        name: WAYPOINT,
        deployment: WAYPOINT,
        labelSelector: `gateway.networking.k8s.io/gateway-name=${WAYPOINT}`,
        container: 'istio-proxy',
        implementation: 'envoy (waypoint)',
        image: 'docker.io/istio/proxyv2',
      },
    },
    requires: {
      crds: [...AMBIENT.requires.crds, GATEWAY_CRD],
      controlPlanes: AMBIENT.requires.controlPlanes,
    },
    notEnrolledHint: ISTIO_NOT_ENROLLED,
  },
};
