import type { ModeDefinition } from './mode.js';

export const baseline: ModeDefinition<'baseline'> = {
  name: 'baseline',
  title: 'No mesh',
  description:
    'Client talks to the app directly; replicas are balanced per connection, as kube-proxy does. The reference every overhead is measured against.',
  topology: {},
  kubernetes: {
    namespaceLabels: {},
    // Opts out of every mesh that may be installed: each registered mode's `optOut` (shared/reference/mesh-modes.md).
    outsideEveryMesh: true,
    sidecarContainers: [],
  },
};
