import type { LoadSupport } from '../../spec/load-support.js';

/**
 * What the local emulation serves and carries. Churn is the engine's business; the proxies and the app accept
 * whatever connections arrive.
 */
export const LOCAL_SUPPORT: LoadSupport = {
  subject: 'platform local',
  protocols: ['http/1.1'],
  connectionChurn: true,
  fixes: {
    h2c: 'the local app and proxies do not carry h2c yet',
    grpc: 'the local app and proxies do not carry gRPC yet',
  },
};
