import { Http1Connection, type ConnectionEvents, type ConnectionTarget } from './http1-connection.js';
import { poolForRequest, type PoolPlan } from './connection-plan.js';
import type { Outcome } from './tally.js';

export interface SenderOptions {
  pools: PoolPlan[];
  /** Total keep-alive connections (the sum over pools): requests go round-robin over the pools by connection. */
  connections: number;
  payloadBytes: number;
  timeoutMs: number;
  /** Requests a connection carries before it is closed and the next opened (churn); absent: keep-alive. */
  requestsPerConnection?: number;
  /** The clock every time is read from, milliseconds (performance.now in the worker). */
  now: () => number;
}

/**
 * Called once per request with how it ended, when, and when it went on the wire (same clock as `now`). The wire
 * time is when the request was written to a connection, after any wait for a free connection (and for a new
 * one, after it was established), as in k6's http_req_duration; for a request that never reached a connection
 * (refused, timed out in the queue) it is the dispatch time.
 */
export type OnSettled = (outcome: Outcome, settledAtMs: number, onWireAtMs: number) => void;

export interface HttpSender {
  /** Dispatches one GET to the next pool: written at once on a free connection, else queued for one. */
  send(onSettled: OnSettled): void;
  /** Requests sent and not yet settled (queued for a connection or on the wire). */
  readonly inFlight: number;
  /** Declares every request sent more than timeoutMs ago a timeout, and closes the connection it was on. */
  sweep(nowMs: number): void;
  /** Closes every connection; requests still open are dropped without a callback. */
  close(): Promise<void>;
}

interface Flight {
  sentAtMs: number;
  onWireAtMs: number;
  onSettled: OnSettled;
  settled: boolean;
  /** The connection slot carrying it, once it left the queue. */
  slot: Slot | undefined;
}

/** One of a pool's connections, kept across reconnects: `conn` is undefined until opened and after it closed. */
interface Slot {
  conn: Http1Connection | undefined;
  flight: Flight | undefined;
  /** In the pool's free list (idle or closed, so ready for the next request). */
  listed: boolean;
}

/** A FIFO that does not shift arrays: dequeue is O(1), storage is compacted as the head advances. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

interface Pool {
  target: ConnectionTarget;
  slots: Slot[];
  /**
   * Slots ready for a request, in the order they became ready: requests rotate over every connection, as
   * wrk's do, instead of piling onto the first (which would leave the rest idle and closed by the server).
   */
  free: Fifo<Slot>;
  queue: Fifo<Flight>;
}

/** Splits a base URL into where to connect, the Host header, and the request path `<base path>/?size=N`. */
export function requestTarget(
  endpoint: string,
  payloadBytes: number,
): { host: string; port: number; hostHeader: string; path: string } {
  const u = new URL(endpoint);
  if (u.protocol !== 'http:')
    throw new RangeError(`the builtin engine speaks plain HTTP/1.1; ${endpoint} is not an http:// URL`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 80 : Number(u.port),
    hostHeader: u.host,
    path: `${u.pathname.replace(/\/+$/, '')}/?size=${payloadBytes}`,
  };
}

export function encodeRequest(hostHeader: string, path: string): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: meshbench\r\n\r\n`,
    'latin1',
  );
}

/** Large enough for a whole response of the default tiers in one read. */
const READ_BUFFER_BYTES = 64 * 1024;

export function createHttpSender(o: SenderOptions): HttpSender {
  const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  // Insertion order is send order, so sweep() stops at the first request that is not yet due to time out.
  const pending = new Set<Flight>();
  let sent = 0;
  let stopped = false;

  const settle = (f: Flight, outcome: Outcome, atMs: number): void => {
    if (f.settled || stopped) return;
    f.settled = true;
    pending.delete(f);
    f.onSettled(outcome, atMs, f.onWireAtMs);
  };

  const release = (pool: Pool, slot: Slot): void => {
    if (!slot.listed) {
      slot.listed = true;
      pool.free.push(slot);
    }
  };

  const eventsFor = (pool: Pool, slot: Slot): ConnectionEvents => ({
    onWire() {
      if (slot.flight) slot.flight.onWireAtMs = o.now();
    },
    onResponse(r, closing) {
      const f = slot.flight;
      slot.flight = undefined;
      // Listed before settling: the settle callback may send its next request on this very connection.
      if (!closing) release(pool, slot);
      if (f) settle(f, { kind: 'response', status: r.status }, o.now());
      dispatch(pool);
    },
    onFailure(kind) {
      const f = slot.flight;
      slot.flight = undefined;
      if (f) settle(f, { kind: 'error', error: kind }, o.now());
    },
    onClosed() {
      slot.conn = undefined;
      slot.flight = undefined;
      release(pool, slot);
      dispatch(pool);
    },
  });

  const pools: Pool[] = o.pools.map((p) => {
    const t = requestTarget(p.endpoint, o.payloadBytes);
    const pool: Pool = {
      target: {
        host: t.host,
        port: t.port,
        request: encodeRequest(t.hostHeader, t.path),
        readBuffer,
        ...(o.requestsPerConnection !== undefined ? { maxRequests: o.requestsPerConnection } : {}),
      },
      slots: [],
      free: new Fifo(),
      queue: new Fifo(),
    };
    for (let k = 0; k < p.connections; k++) {
      const slot: Slot = { conn: undefined, flight: undefined, listed: false };
      pool.slots.push(slot);
      release(pool, slot);
    }
    return pool;
  });

  /** Moves queued requests onto free connections, opening one where a slot has none. */
  function dispatch(pool: Pool): void {
    while (!stopped && pool.queue.size > 0 && pool.free.size > 0) {
      const f = pool.queue.shift() as Flight;
      if (f.settled) continue; // timed out while queued
      const slot = pool.free.shift() as Slot;
      slot.listed = false;
      slot.flight = f;
      f.slot = slot;
      if (slot.conn) slot.conn.send();
      else slot.conn = new Http1Connection(pool.target, eventsFor(pool, slot));
    }
  }

  return {
    send(onSettled) {
      const pool = pools[poolForRequest(sent++, o.connections, pools.length)];
      if (!pool) throw new Error('no pool for request');
      const at = o.now();
      const f: Flight = { sentAtMs: at, onWireAtMs: at, onSettled, settled: false, slot: undefined };
      pending.add(f);
      pool.queue.push(f);
      dispatch(pool);
    },
    get inFlight() {
      return pending.size;
    },
    sweep(nowMs) {
      for (const f of pending) {
        if (nowMs - f.sentAtMs < o.timeoutMs) break;
        settle(f, { kind: 'error', error: 'timeout' }, nowMs);
        // Its response may still come: the connection is closed so that it cannot be taken for another's.
        if (f.slot?.flight === f) void f.slot.conn?.destroy();
      }
    },
    async close() {
      stopped = true;
      pending.clear();
      const open = pools.flatMap((p) => p.slots.map((s) => s.conn)).filter((c) => c !== undefined);
      await Promise.all(open.map((c) => c.destroy()));
    },
  };
}
