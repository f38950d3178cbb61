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
  },
};
