import { connect } from 'node:http2';
import { encodePing, grpcFrame, PING_METHOD_PATH } from '../../protocols/ping-message.js';
import type { TierProtocol } from '../../spec/schema.js';
import { getOnce } from './readiness.js';

/**
 * One request of a protocol on a new connection, for readiness probes: null on a well-formed answer, else
 * what went wrong. h2c: `GET /?size=7` must bring 7 bytes; gRPC: a Ping must come back whole with grpc-status 0.
 */
export async function probeOnce(
  endpoint: string,
  protocol: TierProtocol,
  timeoutMs: number,
): Promise<string | null> {
  if (protocol === 'http/1.1') return getOnce(`${endpoint}/?size=7`, 7, timeoutMs);
  const grpc = protocol === 'grpc';
  const message = grpc
    ? grpcFrame(encodePing({ seq: 1, ts: 0, payload: 'probe', delayNanos: 0 }))
    : undefined;
  return new Promise((resolve) => {
    const session = connect(endpoint);
    const done = (r: string | null): void => {
      clearTimeout(timer);
      session.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('timed out'), timeoutMs);
    session.on('error', (e) => done(e.message));
    const req = session.request(
      grpc
        ? {
            ':method': 'POST',
            ':path': PING_METHOD_PATH,
            'content-type': 'application/grpc',
            te: 'trailers',
          }
        : { ':path': '/?size=7' },
    );
    let status = 0;
    let bytes = 0;
    let grpcStatus: string | undefined;
    req.on('response', (h) => {
      status = Number(h[':status']);
      // A gRPC error without a body comes as headers only ("trailers-only").
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    req.on('trailers', (h) => {
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    req.on('data', (d: Buffer) => (bytes += d.length));
    req.on('end', () => {
      if (status !== 200) done(`status ${status}`);
      else if (grpc)
        done(
          grpcStatus === '0' && bytes === (message as Buffer).length
            ? null
            : `grpc-status ${grpcStatus ?? '(none)'}, ${bytes} bytes`,
        );
      else done(bytes === 7 ? null : `${bytes} bytes`);
    });
    req.on('error', (e) => done(e.message));
    req.end(message);
  });
}
