import type { ModeDefinition } from './mode.js';

export const baseline: ModeDefinition = {
  name: 'baseline',
  title: 'No mesh',
  description:
    'Client talks to the app directly; replicas are balanced per connection, as kube-proxy does. The reference every overhead is measured against.',
  topology: {},
  kubernetes: {
    // Explicitly opt out of every mesh that may be installed (see shared/reference/mesh-modes.md).
    namespaceLabels: {
      'istio-injection': 'disabled',
      'istio.io/dataplane-mode': 'none',
      'appmesh.k8s.aws/sidecarInjectorWebhook': 'disabled',
    },
    podLabels: { 'sidecar.istio.io/inject': 'false' },
    sidecarContainers: [],
  },
};
