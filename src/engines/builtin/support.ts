import type { LoadSupport } from '../../spec/load-support.js';

/** What the builtin engine speaks (native and JavaScript cores alike). */
export const BUILTIN_SUPPORT: LoadSupport = {
  subject: 'engine builtin',
  protocols: ['http/1.1'],
  connectionChurn: false,
  fixes: {
    h2c: 'the builtin engine does not speak h2c yet',
    grpc: 'the builtin engine does not speak gRPC yet',
    churn: 'the builtin engine keeps connections alive; remove requestsPerConnection',
  },
};
