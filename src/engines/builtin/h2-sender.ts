import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { encodePing, grpcFrame, PING_METHOD_PATH } from '../../protocols/ping-message.js';
import { poolForRequest } from './connection-plan.js';
import { classifyError } from './error-kind.js';
import type { HttpSender, OnSettled, SenderOptions } from './http-sender.js';
import type { Outcome } from './tally.js';

/**
 * The builtin engine's h2c and gRPC sender (node:http2, HTTP/2 with prior knowledge): the same contract as the
 * HTTP/1.1 sender, so the open-model generator drives either. A tier's `connections` are HTTP/2 connections
 * (sessions), spread over the endpoints as kube-proxy would; requests go round-robin over them and are
 * multiplexed, never queued for a free connection. gRPC is unary `fgrpc.PingServer/Ping` (ping-message.ts):
 * the gRPC framing of one pre-encoded message is five bytes, so it is written here rather than through a gRPC
 * client library, whose per-call machinery would be part of every latency. A call counts as ok only with
 * :status 200 and grpc-status 0; any other grpc-status is an error of kind `other`.
 *
 * With `requestsPerConnection`, a connection that has carried that many requests is closed gracefully (its
 * streams finish) and the next request on its slot opens another; that request's latency, timed from its
 * intended send like every other, includes the new connection's set-up.
 */
export interface H2SenderOptions extends SenderOptions {
  protocol: 'h2c' | 'grpc';
}

interface Flight {
  sentAtMs: number;
  onWireAtMs: number;
  onSettled: OnSettled;
  settled: boolean;
  stream: ClientHttp2Stream | undefined;
}

interface Slot {
  endpoint: string;
  session: ClientHttp2Session | undefined;
  /** Requests started on the current session. */
  used: number;
}

interface Pool {
  slots: Slot[];
  next: number;
}

export function createH2Sender(o: H2SenderOptions): HttpSender {
  const grpc = o.protocol === 'grpc';
  const pending = new Set<Flight>();
  const sessions = new Set<ClientHttp2Session>();
  let sent = 0;
  let stopped = false;
  // One request's headers and body for the whole tier: h2c asks for the tier's payload as a GET does; gRPC
  // sends a Ping whose payload is that size, and the app echoes it.
  const body = grpc
    ? grpcFrame(encodePing({ seq: 1, ts: 0, payload: 'x'.repeat(o.payloadBytes), delayNanos: 0 }))
    : undefined;

  const headersFor = (endpoint: string): OutgoingHttpHeaders => {
    const u = new URL(endpoint);
    const base = u.pathname.replace(/\/+$/, '');
    return grpc
      ? {
          ':method': 'POST',
          ':path': `${base}${PING_METHOD_PATH}`,
          'content-type': 'application/grpc',
          te: 'trailers',
          'user-agent': 'meshbench',
        }
      : { ':method': 'GET', ':path': `${base}/?size=${o.payloadBytes}`, 'user-agent': 'meshbench' };
  };

  const settle = (f: Flight, outcome: Outcome, atMs: number): void => {
    if (f.settled || stopped) return;
    f.settled = true;
    pending.delete(f);
    f.onSettled(outcome, atMs, f.onWireAtMs);
  };

  const open = (slot: Slot): ClientHttp2Session => {
    const s = connect(slot.endpoint, { settings: { enablePush: false } });
    s.setMaxListeners?.(0);
    sessions.add(s);
    s.on('error', () => undefined); // each stream reports its own failure
    s.once('close', () => {
      sessions.delete(s);
      if (slot.session === s) slot.session = undefined;
    });
    slot.session = s;
    slot.used = 0;
    return s;
  };

  const pools: Pool[] = o.pools.map((p) => ({
    slots: Array.from({ length: p.connections }, () => ({
      endpoint: p.endpoint,
      session: undefined,
      used: 0,
    })),
    next: 0,
  }));
  const headers = new Map(o.pools.map((p) => [p.endpoint, headersFor(p.endpoint)]));

  const start = (f: Flight, slot: Slot): void => {
    let s = slot.session;
    if (s && (s.closed || s.destroyed)) s = undefined;
    if (s && o.requestsPerConnection !== undefined && slot.used >= o.requestsPerConnection) {
      s.close(); // graceful: streams still open on it finish
      s = undefined;
    }
    s ??= open(slot);
    slot.used++;
    let stream: ClientHttp2Stream;
    try {
      stream = s.request(headers.get(slot.endpoint) as OutgoingHttpHeaders, { endStream: !body });
    } catch (e) {
      s.destroy();
      settle(f, { kind: 'error', error: classifyError(e) }, o.now());
      return;
    }
    f.stream = stream;
    // 'ready': the stream has an id, so its headers are being written (after the connection was set up, for
    // a new one): the service time starts here, as the HTTP/1.1 sender's does on the write.
    stream.once('ready', () => {
      if (!f.settled) f.onWireAtMs = o.now();
    });
    let status = 0;
    let grpcStatus: string | undefined;
    stream.on('response', (h) => {
      status = Number(h[constants.HTTP2_HEADER_STATUS]);
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    if (grpc)
      stream.on('trailers', (h) => {
        if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
      });
    stream.on('data', () => undefined);
    stream.on('end', () => {
      const at = o.now();
      if (grpc && status === 200 && grpcStatus !== '0') settle(f, { kind: 'error', error: 'other' }, at);
      else settle(f, { kind: 'response', status }, at);
    });
    stream.on('error', (e) => settle(f, { kind: 'error', error: classifyError(e) }, o.now()));
    stream.on('close', () => {
      // Closed without an end (reset by the peer, or the session went away).
      if (!f.settled) settle(f, { kind: 'error', error: 'reset' }, o.now());
    });
    if (body) stream.end(body);
  };

  return {
    send(onSettled) {
      const pool = pools[poolForRequest(sent++, o.connections, pools.length)];
      if (!pool) throw new Error('no pool for request');
      const at = o.now();
      const f: Flight = { sentAtMs: at, onWireAtMs: at, onSettled, settled: false, stream: undefined };
      pending.add(f);
      const slot = pool.slots[pool.next] as Slot;
      pool.next = (pool.next + 1) % pool.slots.length;
      start(f, slot);
    },
    get inFlight() {
      return pending.size;
    },
    sweep(nowMs) {
      for (const f of pending) {
        if (nowMs - f.sentAtMs < o.timeoutMs) break;
        settle(f, { kind: 'error', error: 'timeout' }, nowMs);
        // Only this stream is cancelled: the connection carries others.
        f.stream?.close(constants.NGHTTP2_CANCEL);
      }
    },
    async close() {
      stopped = true;
      pending.clear();
      const open = [...sessions];
      await Promise.all(
        open.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.destroyed) return resolve();
              s.once('close', () => resolve());
              s.destroy();
            }),
        ),
      );
    },
  };
}
