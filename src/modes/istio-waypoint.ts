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
    enrolmentAnnotations: [{ name: 'ambient.istio.io/redirection', value: 'enabled' }],
    istioRevision: {},
    peerAuthentication: 'STRICT',
    waypoint: { name: 'waypoint', gatewayClassName: 'istio-waypoint' },
    sharedProxies: {
      nodeProxy: { labelSelector: 'app=ztunnel', container: 'istio-proxy', implementation: 'ztunnel' },
      waypoint: {
        labelSelector: 'gateway.networking.k8s.io/gateway-name=waypoint',
        container: 'istio-proxy',
        implementation: 'envoy (waypoint)',
      },
    },
    requires: {
      crds: [
        {
          name: 'peerauthentications.security.istio.io',
          fix: 'install Istio, which installs its CRDs (istioctl install or helm install istio-base)',
        },
        {
          name: 'gateways.gateway.networking.k8s.io',
          fix: 'install the Gateway API CRDs (standard channel) before Istio: kubectl apply -f standard-install.yaml from kubernetes-sigs/gateway-api',
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
