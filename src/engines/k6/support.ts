import type { LoadSupport } from '../../spec/load-support.js';

/**
 * What meshbench's k6 scenario runs. k6 negotiates HTTP/2 only through TLS ALPN and has no prior-knowledge
 * h2c, so `h2c` is refused rather than silently run as HTTP/1.1.
 */
export const K6_SUPPORT: LoadSupport = {
  subject: 'engine k6',
  protocols: ['http/1.1'],
  connectionChurn: false,
  fixes: {
    h2c: 'k6 does not speak h2c (HTTP/2 without TLS); use --engine builtin locally',
    grpc: "meshbench's k6 scenario does not run gRPC yet; use --engine builtin locally",
    churn: "meshbench's k6 scenario keeps connections alive; use --engine builtin locally",
  },
};
