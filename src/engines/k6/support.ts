import type { LoadSupport } from '../../spec/load-support.js';

/**
 * What meshbench's k6 scenario runs (scenarios/constant-arrival-rate.ts):
 * - `http/1.1` through k6/http;
 * - `grpc` through k6/net/grpc with `plaintext: true` (HTTP/2 without TLS, which gRPC clients dial directly);
 * - not `h2c`: k6's HTTP client negotiates HTTP/2 only through TLS ALPN and has no prior-knowledge cleartext
 *   HTTP/2, so an h2c tier would silently run as HTTP/1.1; it is refused instead;
 * - churn only as `requestsPerConnection: 1` over HTTP/1.1, with k6's `noConnectionReuse` option: k6 has no way to
 *   close a connection after N > 1 requests, and its gRPC client reports no connection time (grpc_req_duration
 *   times the call alone), so a churned gRPC call would leave out the very set-up it is meant to show.
 */
export const K6_SUPPORT: LoadSupport = {
  subject: 'engine k6',
  protocols: ['http/1.1', 'grpc'],
  connectionChurn: true,
  churnLimits: {
    protocols: ['http/1.1'],
    maxRequestsPerConnection: 1,
    why: 'k6 opens a new connection for every request (noConnectionReuse) or keeps them alive, it cannot close one after N requests, and its gRPC client does not time connection set-up',
  },
  fixes: {
    h2c: 'k6 does not speak h2c, HTTP/2 without TLS: it negotiates HTTP/2 only through TLS ALPN; use --engine builtin locally',
    churn: 'set requestsPerConnection to 1 on an http/1.1 tier, remove it, or use --engine builtin locally',
  },
};
