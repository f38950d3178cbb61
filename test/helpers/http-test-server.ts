import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';

/**
 * A tiny configurable HTTP/1.1 server on 127.0.0.1 for tests: keep-alive, answers `GET /?size=N` with N bytes
 * (like the app server), with an optional fixed delay, per-request status, a one-off stall, or no answer at all.
 */
export interface TestServerOptions {
  /** Fixed delay before each response, milliseconds. */
  delayMs?: number;
  /** Delay for the n-th request (0-based, in arrival order), milliseconds; instead of delayMs. */
  delayFor?: (n: number) => number;
  /** Status for the n-th request (0-based, in arrival order). Default 200. */
  status?: (n: number) => number;
  /** Accept requests but never answer them (until close()). */
  hang?: boolean;
}

export interface TestServer {
  url: string;
  port: number;
  /** Requests received so far. */
  requests(): number;
  /** When each request arrived, performance.now() milliseconds of this process, in arrival order. */
  arrivalTimesMs(): readonly number[];
  /** Client connections accepted so far. */
  acceptedConnections(): number;
  /** Client connections currently open. */
  openConnections(): number;
  /** Holds every response (pending or arriving) until `ms` from now: a server-wide pause, as in a GC stop. */
  stall(ms: number): void;
  /** Stops listening, destroys open connections and cancels pending responses. Idempotent. */
  close(): Promise<void>;
}

const bodies = new Map<number, Buffer>();
function body(size: number): Buffer {
  let b = bodies.get(size);
  if (!b) {
    b = Buffer.alloc(size, 0x78);
    bodies.set(size, b);
  }
  return b;
}

function sizeOf(req: IncomingMessage): number {
  const raw = new URL(req.url ?? '/', 'http://x').searchParams.get('size');
  const n = raw === null ? 0 : Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 16 * 1024 * 1024 ? n : 0;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  const arrivals: number[] = [];
  let stalledUntil = 0;
  let closed: Promise<void> | undefined;

  // Node's timers count from the event loop's cached time, which lags the real clock when a callback runs late
  // in a busy loop: a 20 ms timer answered 19.46-19.6 ms after the request left the client (timed from the
  // actual send, both engine cores) with two CPU hogs running. A test server must never answer early, so the
  // delay is held to a deadline on the real clock, re-armed for what is left.
  const later = (ms: number, fn: () => void): void => {
    const due = performance.now() + ms;
    const arm = (wait: number): void => {
      const t = setTimeout(() => {
        timers.delete(t);
        const left = due - performance.now();
        if (left > 0) arm(Math.ceil(left));
        else fn();
      }, wait);
      timers.add(t);
    };
    arm(ms);
  };

  const respond = (res: ServerResponse, status: number, size: number): void => {
    const wait = stalledUntil - Date.now();
    if (wait > 0) {
      later(wait, () => respond(res, status, size));
      return;
    }
    if (res.destroyed) return;
    const b = body(size);
    res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': b.length });
    res.end(b);
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const n = count++;
    arrivals.push(performance.now());
    if (opts.hang) return;
    const status = opts.status ? opts.status(n) : 200;
    const size = sizeOf(req);
    // Drain the (empty) request body so that keep-alive can reuse the connection.
    req.resume();
    const delay = opts.delayFor ? opts.delayFor(n) : (opts.delayMs ?? 0);
    if (delay > 0) later(delay, () => respond(res, status, size));
    else respond(res, status, size);
  });
  let accepted = 0;
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => count,
    arrivalTimesMs: () => arrivals,
    acceptedConnections: () => accepted,
    openConnections: () => sockets.size,
    stall(ms) {
      stalledUntil = Math.max(stalledUntil, Date.now() + ms);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** A starter for test servers that are all closed after each test (register it at a test file's top level). */
export function testServersClosedAfterEach(): (
  opts?: Parameters<typeof startTestServer>[0],
) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (opts) => {
    const s = await startTestServer(opts);
    servers.push(s);
    return s;
  };
}
