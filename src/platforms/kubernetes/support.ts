import type { LoadSupport } from '../../spec/load-support.js';

/** What the cluster's manifests and load Jobs carry so far: HTTP/1.1 keep-alive to fortio. */
export const KUBERNETES_SUPPORT: LoadSupport = {
  subject: 'platform kubernetes',
  protocols: ['http/1.1'],
  connectionChurn: false,
  fixes: {
    h2c: 'the cluster manifests do not serve h2c yet; run this tier with --platform local',
    grpc: 'the cluster manifests do not serve gRPC yet; run this tier with --platform local',
    churn: 'the cluster load Job keeps connections alive; run this tier with --platform local',
  },
};
