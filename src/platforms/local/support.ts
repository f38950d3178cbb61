import type { LoadSupport } from '../../spec/load-support.js';

/**
 * The local emulation serves and carries every tier protocol: the app answers HTTP/1.1 (native or Node), h2c
 * and gRPC (protocol-app.ts); L7 proxies speak HTTP/2 to each other and to the app for h2c and gRPC tiers, L4
 * node proxies pass the bytes (haproxy-config.ts, lanes). Churn is the engine's business; the proxies and the
 * apps accept whatever connections arrive.
 */
export const LOCAL_SUPPORT: LoadSupport = {
  subject: 'platform local',
  protocols: ['http/1.1', 'h2c', 'grpc'],
  connectionChurn: true,
};
