import type { LoadSupport } from '../../spec/load-support.js';

/**
 * The builtin engine speaks every tier protocol and honours connection churn: HTTP/1.1 on the native core (or
 * the JavaScript one where it is not built), h2c and gRPC on the JavaScript core (h2-sender.ts).
 */
export const BUILTIN_SUPPORT: LoadSupport = {
  subject: 'engine builtin',
  protocols: ['http/1.1', 'h2c', 'grpc'],
  connectionChurn: true,
};
