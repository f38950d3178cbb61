import type { LoadSupport } from '../../spec/load-support.js';

/**
 * What the cluster's manifests and load Jobs carry: HTTP/1.1 and gRPC to fortio (its ping service on the
 * Service's `grpc` port, render-protocols.ts), and connection churn as far as k6 does it (load in a cluster always
 * runs as k6, whose own declaration, src/engines/k6/support.ts, is checked too). Not h2c: k6 cannot send it.
 */
export const KUBERNETES_SUPPORT: LoadSupport = {
  subject: 'platform kubernetes',
  protocols: ['http/1.1', 'grpc'],
  connectionChurn: true,
  fixes: {
    h2c: 'load in a cluster runs as k6, which does not speak h2c (HTTP/2 without TLS); run this tier with --platform local --engine builtin',
  },
};
