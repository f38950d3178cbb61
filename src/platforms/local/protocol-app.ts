/**
 * The benchmark's app for `h2c` and `grpc` tiers, one per server replica, beside the HTTP/1.1 app server (the
 * native one, or app-server.ts): the native app server speaks HTTP/1.1 only, and a gRPC server should be an
 * established implementation (@grpc/grpc-js), not a hand-written one.
 *   protocol-app --h2c-port <0 for any> --grpc-port <0 for any> --delay-ms <ms>
 * - h2c (HTTP/2 with prior knowledge, node:http2): `GET /?size=N` answers 200 with N bytes, as the HTTP/1.1 app;
 * - gRPC: unary `fgrpc.PingServer/Ping` (src/protocols/ping-message.ts) echoes the request message, whose
 *   payload the engine sizes to the tier's payloadBytes.
 * Both hold each call for --delay-ms (early-wake.ts: a timer aimed early by a learnt margin, then a spin).
 * Prints `{"event":"listening","h2cPort":N,"grpcPort":M}` when ready. `GET /.meshbench/stats` on the h2c port
 * answers `{"h2c":{"requests":R,"connections":C},"grpc":{...}}`: requests served and connections accepted per
 * protocol (the stats request and its connection excluded), so tests can check what a tier really used. Exits
 * when stdin closes, so it does not outlive a parent that was killed hard.
 */
import { Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { createServer as createH2Server, constants, type ServerHttp2Stream } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PING_GRPC_SERVICE } from '../../protocols/ping-message.js';
import { EarlyWake, holdUntil } from './early-wake.js';

const { values } = parseArgs({
  options: {
    'h2c-port': { type: 'string', default: '0' },
    'grpc-port': { type: 'string', default: '0' },
    'delay-ms': { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const delayMs = Number(values['delay-ms']);
const MAX_SIZE = 16 * 1024 * 1024; // spec's payloadBytes upper bound (src/spec/schema.ts)
const STATS_PATH = '/.meshbench/stats';
// Streams one connection may carry at once: far above what a tier needs, so a proxy's or the engine's
// multiplexing is never capped by the app.
const MAX_CONCURRENT_STREAMS = 4096;

const counts = { h2c: { requests: 0, connections: 0 }, grpc: { requests: 0, connections: 0 } };
const wake = new EarlyWake();
const now = (): number => performance.now();

/** Runs `fn` after the service time (at once when there is none: no timer, which would add about 1 ms). */
function afterDelay(fn: () => void): void {
  if (delayMs > 0) holdUntil(now() + delayMs, wake, now, fn);
  else fn();
}

const bodies = new Map<number, Buffer>();
function bodyOf(size: number): Buffer {
  let b = bodies.get(size);
  if (!b) {
    b = Buffer.alloc(size, 0x78);
    if (bodies.size < 64) bodies.set(size, b);
  }
  return b;
}

function sizeOf(path: string): number {
  const m = /[?&]size=(\d+)/.exec(path);
  return m ? Math.min(MAX_SIZE, Number(m[1])) : 0;
}

// ---- h2c --------------------------------------------------------------------------------------------------
const h2 = createH2Server({ settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } });
/** Sessions that have carried a request: one whose first request is for the stats is the stats reader's. */
const used = new WeakSet<object>();
h2.on('session', (session) => {
  counts.h2c.connections++;
  session.on('error', () => undefined);
});
h2.on('stream', (stream: ServerHttp2Stream, headers) => {
  stream.on('error', () => undefined);
  const path = String(headers[constants.HTTP2_HEADER_PATH] ?? '/');
  const firstOnSession = !used.has(stream.session as object);
  used.add(stream.session as object);
  if (path === STATS_PATH) {
    if (firstOnSession) counts.h2c.connections--;
    const body = Buffer.from(JSON.stringify(counts));
    stream.respond({ ':status': 200, 'content-type': 'application/json', 'content-length': body.length });
    stream.end(body);
    return;
  }
  counts.h2c.requests++;
  stream.resume();
  const body = bodyOf(sizeOf(path));
  afterDelay(() => {
    if (stream.destroyed) return;
    stream.respond({
      ':status': 200,
      'content-type': 'application/octet-stream',
      'content-length': body.length,
    });
    stream.end(body);
  });
});

// ---- gRPC -------------------------------------------------------------------------------------------------
// Messages stay bytes: the reply is the request message itself (fortio's ping server echoes it too).
const grpc = new Server({ 'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS });
grpc.addService(PING_GRPC_SERVICE, {
  Ping: (call: ServerUnaryCall<Buffer, Buffer>, reply: sendUnaryData<Buffer>) => {
    counts.grpc.requests++;
    if (!Buffer.isBuffer(call.request)) {
      reply({ code: status.INVALID_ARGUMENT, details: 'no message' });
      return;
    }
    afterDelay(() => reply(null, call.request));
  },
});
// The app owns the listening socket and hands each connection to grpc-js, so that it can count them.
const injector = grpc.createConnectionInjector(ServerCredentials.createInsecure());
const grpcListener: TcpServer = createTcpServer({ noDelay: true }, (socket) => {
  counts.grpc.connections++;
  socket.on('error', () => undefined);
  injector.injectConnection(socket);
});

function listen(server: { listen: TcpServer['listen']; address: TcpServer['address'] }, port: string) {
  return new Promise<number>((resolve, reject) => {
    (server as TcpServer).once('error', reject);
    server.listen(Number(port), values.host, () => resolve((server.address() as AddressInfo).port));
  });
}

void Promise.all([listen(h2, values['h2c-port']), listen(grpcListener, values['grpc-port'])]).then(
  ([h2cPort, grpcPort]) => {
    process.stdout.write(`${JSON.stringify({ event: 'listening', h2cPort, grpcPort })}\n`);
  },
  (e: unknown) => {
    process.stderr.write(`protocol-app: cannot listen: ${String(e)}\n`);
    process.exit(1);
  },
);

const stop = (): void => {
  injector.destroy();
  grpc.forceShutdown();
  grpcListener.close();
  h2.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
