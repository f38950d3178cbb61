/**
 * The message and service a `grpc` tier calls, as k6's Client.load() reads them: written for meshbench from the
 * field list of fortio's ping service (package fgrpc, service PingServer, unary Ping; fortio serves it on
 * Kubernetes, the local app serves the same wire format). A string, not a file beside the scenario, so that the
 * Kubernetes renderer stays pure: it goes into the script ConfigMap as GRPC_PROTO_FILE, and locally into k6's
 * working directory beside the bundle.
 */
export const FGRPC_PING_PROTO = `syntax = "proto3";

package fgrpc;

message PingMessage {
  // Sequence number of the call.
  int64 seq = 1;
  // Sender's timestamp, nanoseconds; the server puts its own in the reply.
  int64 ts = 2;
  // Opaque bytes the server echoes: meshbench sends the tier's payloadBytes of them.
  string payload = 3;
  // How long the server holds the call before it answers, nanoseconds (the spec's app.delayMs).
  int64 delayNanos = 4;
}

service PingServer {
  rpc Ping(PingMessage) returns (PingMessage) {}
}
`;
