import { Pool, type Dispatcher } from 'undici';
import { classifyError, RequestTimeoutError } from './error-kind.js';
import { poolForRequest, type PoolPlan } from './connection-plan.js';
import type { Outcome } from './tally.js';

export interface SenderOptions {
  pools: PoolPlan[];
  /** Total keep-alive connections (the sum over pools): requests go round-robin over them. */
  connections: number;
  payloadBytes: number;
  timeoutMs: number;
  /** The clock every time is read from, milliseconds (performance.now in the worker). */
  now: () => number;
}

/**
 * Called once per request with how it ended, when, and when it went on the wire (same clock as `now`). The wire
 * time is when undici started writing it to a connection, after any wait for a free connection, as in k6's
 * http_req_duration; for a request that never reached a connection (refused, timed out in the queue) it is the
 * dispatch time.
 */
export type OnSettled = (outcome: Outcome, settledAtMs: number, onWireAtMs: number) => void;

export interface HttpSender {
  /** Dispatches one GET to the next connection's pool (it may wait there for a free connection). */
  send(onSettled: OnSettled): void;
  /** Requests undici still holds (queued in a pool or on the wire), including timed-out ones not yet released. */
  readonly inFlight: number;
  /** Declares every request sent more than timeoutMs ago a timeout and aborts it. */
  sweep(nowMs: number): void;
  /** Destroys the pools: pending requests are aborted, sockets closed. */
  close(): Promise<void>;
}

interface Flight {
  sentAtMs: number;
  onWireAtMs: number;
  onSettled: OnSettled;
  settled: boolean;
  controller: Dispatcher.DispatchController | undefined;
}

/** Splits a base URL into a pool origin and the request path `<base path>/?size=N` (the app server reads `size`). */
export function requestPath(endpoint: string, payloadBytes: number): { origin: string; path: string } {
  const u = new URL(endpoint);
  return { origin: u.origin, path: `${u.pathname.replace(/\/+$/, '')}/?size=${payloadBytes}` };
}

export function createHttpSender(o: SenderOptions): HttpSender {
  const targets = o.pools.map((p) => {
    const { origin, path } = requestPath(p.endpoint, o.payloadBytes);
    const pool = new Pool(origin, {
      connections: p.connections,
      pipelining: 1,
      connectTimeout: o.timeoutMs,
      // Backstops only: sweep() declares timeouts from the send time (queueing included) before these fire.
      headersTimeout: o.timeoutMs + 1000,
      bodyTimeout: o.timeoutMs + 1000,
    });
    return { pool, path };
  });
  // Insertion order is send order, so sweep() stops at the first request that is not yet due to time out.
  const pending = new Set<Flight>();
  let inFlight = 0;
  let sent = 0;

  const settle = (f: Flight, outcome: Outcome, atMs: number): void => {
    if (f.settled) return;
    f.settled = true;
    pending.delete(f);
    f.onSettled(outcome, atMs, f.onWireAtMs);
  };

  const handlerFor = (f: Flight): Dispatcher.DispatchHandler => {
    let status = 0;
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        inFlight--;
      }
    };
    return {
      onRequestStart(controller) {
        // A request that timed out while queued is dropped here, before it reaches the wire.
        if (f.settled) {
          controller.abort(new RequestTimeoutError(o.timeoutMs));
          return;
        }
        f.controller = controller;
        f.onWireAtMs = o.now();
      },
      onResponseStart(_c, statusCode) {
        status = statusCode;
      },
      onResponseData() {
        // The body is read in full and discarded.
      },
      onResponseEnd() {
        release();
        settle(f, { kind: 'response', status }, o.now());
      },
      onResponseError(_c, err) {
        release();
        settle(f, { kind: 'error', error: classifyError(err) }, o.now());
      },
    };
  };

  return {
    send(onSettled) {
      const t = targets[poolForRequest(sent++, o.connections, targets.length)];
      if (!t) throw new Error('no pool for request');
      const at = o.now();
      const f: Flight = { sentAtMs: at, onWireAtMs: at, onSettled, settled: false, controller: undefined };
      pending.add(f);
      inFlight++;
      t.pool.dispatch({ method: 'GET', path: t.path }, handlerFor(f));
    },
    get inFlight() {
      return inFlight;
    },
    sweep(nowMs) {
      for (const f of pending) {
        if (nowMs - f.sentAtMs < o.timeoutMs) break;
        settle(f, { kind: 'error', error: 'timeout' }, nowMs);
        f.controller?.abort(new RequestTimeoutError(o.timeoutMs));
      }
    },
    async close() {
      await Promise.allSettled(targets.map((t) => t.pool.destroy()));
    },
  };
}
