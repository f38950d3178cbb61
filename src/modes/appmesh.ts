import type { ModeDefinition } from './mode.js';

export const appmesh: ModeDefinition = {
  name: 'appmesh',
  title: 'AWS App Mesh (Envoy sidecar per pod, plaintext)',
  description:
    "An L7 Envoy sidecar in every pod, plaintext between sidecars (App Mesh's default). Locally: one HTTP-mode HAProxy per pod, no TLS.",
  topology: { sidecar: { layer: 'l7', mtls: false } },
  kubernetes: {
    namespaceLabels: { 'appmesh.k8s.aws/sidecarInjectorWebhook': 'enabled', mesh: 'meshbench' },
    sidecarContainers: ['envoy'],
    appMesh: { meshLabel: 'mesh' },
    // Envoy admin listens on 9901 in App Mesh's injected sidecar (shared/reference/mesh-modes.md).
    proxyAdmin: { readyUrl: 'http://127.0.0.1:9901/ready', quitUrl: 'http://127.0.0.1:9901/quitquitquit' },
    sidecarImplementation: 'envoy (appmesh)',
    requires: {
      crds: [
        {
          name: 'meshes.appmesh.k8s.aws',
          fix: 'helm install appmesh-controller eks/appmesh-controller --namespace appmesh-system (it installs the appmesh.k8s.aws CRDs)',
        },
        {
          name: 'virtualnodes.appmesh.k8s.aws',
          fix: 'helm install appmesh-controller eks/appmesh-controller --namespace appmesh-system (it installs the appmesh.k8s.aws CRDs)',
        },
        {
          name: 'virtualservices.appmesh.k8s.aws',
          fix: 'helm install appmesh-controller eks/appmesh-controller --namespace appmesh-system (it installs the appmesh.k8s.aws CRDs)',
        },
      ],
      deployments: [
        {
          labelSelector: 'app.kubernetes.io/name=appmesh-controller',
          what: 'appmesh-controller',
          fix: 'helm install appmesh-controller eks/appmesh-controller --namespace appmesh-system (it installs the appmesh.k8s.aws CRDs)',
        },
      ],
    },
  },
};
