/**
 * The benchmark's app: a keep-alive HTTP/1.1 server that waits `--delay-ms` (the spec's service time) and
 * answers 200 with `?size=N` bytes. Run as a child process by the local platform, one per replica:
 *   app-server --port <0 for any> --delay-ms <ms>
 * Prints one JSON line `{"event":"listening","port":N}` on stdout when ready. `GET /.meshbench/stats` answers
 * `{"requests":R,"connections":C}` (requests served and connections accepted, stats excluded). Exits when stdin
 * closes, so it does not outlive a parent that was killed hard. The native app server (native/app-server.c) is
 * the same interface without Node's latency; this one is its fallback where it is not built.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'delay-ms': { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
const delayMs = Number(values['delay-ms']);
const MAX_SIZE = 16 * 1024 * 1024; // spec's payloadBytes upper bound (src/spec/schema.ts)

const bodies = new Map<number, Buffer>();
function bodyOf(size: number): Buffer {
  let b = bodies.get(size);
  if (!b) {
    b = Buffer.alloc(size, 0x78);
    if (bodies.size < 64) bodies.set(size, b);
  }
  return b;
}

/** `?size=N` -> N, clamped to [0, 16 MiB]; anything else -> 0. */
function sizeOf(url: string | undefined): number {
  const m = /[?&]size=(\d+)/.exec(url ?? '');
  return m ? Math.min(MAX_SIZE, Number(m[1])) : 0;
}

function respond(req: IncomingMessage, res: ServerResponse): void {
  const body = bodyOf(sizeOf(req.url));
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
}

let served = 0;
let accepted = 0;

const server = createServer({ keepAlive: true }, (req, res) => {
  req.resume();
  if (req.url?.startsWith('/.meshbench/stats')) {
    const stats = Buffer.from(JSON.stringify({ requests: served, connections: accepted }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': stats.length });
    res.end(stats);
    return;
  }
  served++;
  // No timer when there is no delay: setTimeout(0) would still add about 1 ms (Node clamps it to 1).
  if (delayMs > 0) setTimeout(() => respond(req, res), delayMs);
  else respond(req, res);
});
server.on('connection', () => {
  accepted++;
});
// Proxies and engines keep connections open between requests; do not close them under a measure window.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;

server.listen(port, values.host, () => {
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', port: (server.address() as AddressInfo).port })}\n`,
  );
});

const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
