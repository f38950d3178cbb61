import { connect, type Socket } from 'node:net';
import { classifyError } from './error-kind.js';
import { Http1ResponseParser, type ParsedResponse } from './http1-response-parser.js';
import type { ErrorKind } from '../../results/schema.js';

/**
 * One keep-alive TCP connection carrying one request at a time, over a bare socket. The engine has its own
 * HTTP/1.1 client because the client's cost is part of every latency it reports: with undici (dispatcher
 * queue, stream machinery, a Buffer per read) its p50 at 1000 RPS against nginx was 2.2x wrk's (229 against
 * 106 us, same run); a socket that reads into one reused buffer and writes a pre-encoded request brought it to
 * within wrk's run-to-run spread (docs/PERFORMANCE.md).
 */

/** What a connection reports to its owner (the sender), about the request it carries. */
export interface ConnectionEvents {
  /** The request went on the wire (after the connection was established, for a new one). */
  onWire(): void;
  /** The response is complete; the connection is idle again unless `closing`. */
  onResponse(r: ParsedResponse, closing: boolean): void;
  /** The request failed (the connection is gone). */
  onFailure(kind: ErrorKind): void;
  /** The connection is closed and its slot can be reused; called once, after any onFailure. */
  onClosed(): void;
}

export interface ConnectionTarget {
  host: string;
  port: number;
  /** The encoded request, written as is for every request on the connection. */
  request: Buffer;
  /** Every socket of a sender reads into this one buffer: a read is parsed synchronously before the next. */
  readBuffer: Buffer;
  /** Responses after which the connection is closed (connection churn); absent: keep-alive. */
  maxRequests?: number;
}

export class Http1Connection {
  private readonly socket: Socket;
  private readonly parser = new Http1ResponseParser();
  private connected = false;
  /** A request is written and its response not yet complete. */
  private busy = false;
  private closed = false;
  /** Responses completed on this connection. */
  private answered = 0;
  private readonly closedPromise: Promise<void>;

  /** Opens the connection and writes the first request as soon as it is established. */
  constructor(
    private readonly target: ConnectionTarget,
    private readonly events: ConnectionEvents,
  ) {
    this.busy = true;
    this.socket = connect({
      host: target.host,
      port: target.port,
      noDelay: true,
      onread: { buffer: target.readBuffer, callback: (n) => this.onRead(n) },
    });
    this.closedPromise = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.once('connect', () => {
      this.connected = true;
      if (this.busy && !this.closed) this.write();
    });
    this.socket.on('error', (e) => this.fail(classifyError(e)));
    this.socket.on('end', () => this.onEnd());
    this.socket.once('close', () => this.fail('reset'));
  }

  /** Idle: connected, and no request outstanding. */
  get idle(): boolean {
    return this.connected && !this.busy && !this.closed;
  }

  /** Sends the next request on this (idle) connection. */
  send(): void {
    if (!this.idle) throw new Error('send() on a connection that is not idle');
    this.busy = true;
    this.write();
  }

  /** Closes the connection at once; an outstanding request is dropped without a callback. */
  destroy(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.busy = false;
      this.socket.destroy();
      this.events.onClosed();
    }
    return this.closedPromise;
  }

  private write(): void {
    this.parser.reset();
    this.events.onWire();
    this.socket.write(this.target.request);
  }

  private onRead(n: number): boolean {
    if (this.closed) return false;
    if (!this.busy) {
      this.fail('other');
      return false;
    }
    let r: ParsedResponse | undefined;
    try {
      r = this.parser.push(this.target.readBuffer, 0, n);
    } catch {
      this.fail('other');
      return false;
    }
    if (r) this.complete(r);
    return true;
  }

  private onEnd(): void {
    if (this.closed) return;
    let r: ParsedResponse | undefined;
    try {
      r = this.busy ? this.parser.end() : undefined;
    } catch {
      this.fail('reset');
      return;
    }
    if (r) this.complete({ ...r, keepAlive: false });
    else this.fail('reset');
  }

  private complete(r: ParsedResponse): void {
    this.busy = false;
    this.answered++;
    const spent = this.target.maxRequests !== undefined && this.answered >= this.target.maxRequests;
    if (r.keepAlive && !spent) {
      // The handler may send the next request on this connection before returning.
      this.events.onResponse(r, false);
      return;
    }
    // Closed before the handler runs, so it cannot pick this connection for its next request.
    this.closed = true;
    this.socket.destroy();
    this.events.onResponse(r, true);
    this.events.onClosed();
  }

  /** Ends the connection; an outstanding request fails with `kind`. Idle connections just close. */
  private fail(kind: ErrorKind): void {
    if (this.closed) return;
    const wasBusy = this.busy;
    this.closed = true;
    this.busy = false;
    this.socket.destroy();
    if (wasBusy) this.events.onFailure(kind);
    this.events.onClosed();
  }
}
