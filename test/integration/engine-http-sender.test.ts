import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSender, type HttpSender } from '../../src/engines/builtin/http-sender.js';
import type { Outcome } from '../../src/engines/builtin/tally.js';
import { closeLastScripted, ok, scripted, type Reply } from '../helpers/scripted-server.js';

/** The builtin engine's JavaScript HTTP/1.1 client against scripted raw TCP servers (scripted-server.ts). */
const senders: HttpSender[] = [];

afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
});

interface Settled {
  outcome: Outcome;
  settledAt: number;
  onWireAt: number;
  sentAt: number;
}

function sender(url: string, connections: number, timeoutMs = 2000): HttpSender {
  const s = createHttpSender({
    pools: [{ endpoint: url, connections }],
    connections,
    payloadBytes: 16,
    timeoutMs,
    now: () => performance.now(),
  });
  senders.push(s);
  return s;
}

/** Sends `n` requests at once and resolves when all have settled, in settle order. */
function sendAll(s: HttpSender, n: number): Promise<Settled[]> {
  return new Promise((resolve) => {
    const out: Settled[] = [];
    for (let k = 0; k < n; k++) {
      const sentAt = performance.now();
      s.send((outcome, settledAt, onWireAt) => {
        out.push({ outcome, settledAt, onWireAt, sentAt });
        if (out.length === n) resolve(out);
      });
    }
  });
}

describe('builtin HTTP/1.1 client', () => {
  it('sends a plain GET with Host and the size parameter, and reuses one keep-alive connection', async () => {
    const srv = await scripted((sock) => sock.write(ok('hello')));
    const s = sender(srv.url, 1);
    for (let k = 0; k < 3; k++) {
      const [r] = await sendAll(s, 1);
      expect(r?.outcome).toEqual({ kind: 'response', status: 200 });
    }
    expect(srv.requests[0]).toMatch(
      new RegExp(`^GET /base/\\?size=16 HTTP/1.1\\r\\nHost: 127.0.0.1:\\d+\\r\\n`),
    );
    expect(srv.accepted()).toBe(1);
    expect(s.inFlight).toBe(0);
  });

  it('queues requests beyond its connections and puts each on the wire when a connection frees up', async () => {
    const srv = await scripted((sock) => setTimeout(() => sock.write(ok('x')), 30));
    const s = sender(srv.url, 1);
    const rs = await sendAll(s, 3);
    expect(rs.map((r) => r.outcome)).toEqual(Array(3).fill({ kind: 'response', status: 200 }));
    // One connection: the second request went on the wire only once the first had its response.
    const [a, b, c] = rs as [Settled, Settled, Settled];
    expect(b.onWireAt).toBeGreaterThanOrEqual(a.settledAt);
    expect(c.onWireAt).toBeGreaterThanOrEqual(b.settledAt);
    expect(c.settledAt - c.sentAt).toBeGreaterThanOrEqual(85); // waited for two before it, 30 ms each
    expect(srv.accepted()).toBe(1);
  });

  it('rotates requests over all its connections', async () => {
    const srv = await scripted((sock) => sock.write(ok('x')));
    const s = sender(srv.url, 4);
    for (let k = 0; k < 8; k++) await sendAll(s, 1);
    expect(srv.accepted()).toBe(4);
  });

  it('reads a response split over many writes and times it to the last byte', async () => {
    const wire = Buffer.from(ok('y'.repeat(5000), 'X-Pad: 1\r\n'), 'latin1');
    let lastWriteAt = 0;
    const srv = await scripted((sock) => {
      const cuts = [0, 7, 20, 40, 1000, 3000, wire.length];
      cuts.slice(1).forEach((end, k) =>
        setTimeout(() => {
          sock.write(wire.subarray(cuts[k], end));
          lastWriteAt = performance.now();
        }, k * 5),
      );
    });
    const [r] = await sendAll(sender(srv.url, 1), 1);
    expect(r?.outcome).toEqual({ kind: 'response', status: 200 });
    expect(r?.settledAt).toBeGreaterThanOrEqual(lastWriteAt);
  });

  it('reads chunked responses and statuses other than 200', async () => {
    const srv = await scripted((sock) =>
      sock.write('HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
    );
    const s = sender(srv.url, 1);
    const rs = [...(await sendAll(s, 1)), ...(await sendAll(s, 1))];
    expect(rs.map((r) => r.outcome)).toEqual(Array(2).fill({ kind: 'response', status: 503 }));
    expect(srv.accepted()).toBe(1);
  });

  it('opens a new connection after a response with Connection: close, and after the server drops an idle one', async () => {
    const srv = await scripted((sock, n) => {
      if (n % 2 === 0) sock.write(ok('x', 'Connection: close\r\n'), () => sock.end());
      else sock.write(ok('x'), () => setTimeout(() => sock.destroy(), 5));
    });
    const s = sender(srv.url, 1);
    for (let k = 0; k < 6; k++) {
      const [r] = await sendAll(s, 1);
      expect(r?.outcome).toEqual({ kind: 'response', status: 200 });
      await new Promise((resolve) => setTimeout(resolve, 20)); // lets the idle close arrive first
    }
    expect(srv.accepted()).toBe(6);
  });

  it('reads a body framed by the end of the connection', async () => {
    const srv = await scripted((sock) =>
      sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close'),
    );
    const rs = await sendAll(sender(srv.url, 1), 2);
    expect(rs.map((r) => r.outcome)).toEqual(Array(2).fill({ kind: 'response', status: 200 }));
    expect(srv.accepted()).toBe(2);
  });

  it.each([
    {
      name: 'a connection reset mid-response',
      reply: ((s) =>
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab', () => s.resetAndDestroy())) as Reply,
      kind: 'reset',
    },
    { name: 'a close before any response', reply: ((s) => s.end()) as Reply, kind: 'reset' },
    {
      name: 'a close mid-body',
      reply: ((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab')) as Reply,
      kind: 'reset',
    },
    {
      name: 'a response that is not HTTP',
      reply: ((s) => s.write('SSH-2.0-OpenSSH_9.2\r\n\r\n')) as Reply,
      kind: 'other',
    },
    {
      name: 'an unasked-for second response',
      reply: ((s) => s.write(ok('a') + ok('b'))) as Reply,
      kind: 'other',
    },
  ])('counts $name as $kind, and recovers on a new connection', async ({ reply, kind }) => {
    let fail = true;
    const srv = await scripted((sock, n) => (fail && n === 0 ? reply(sock, n) : sock.write(ok('fine'))));
    const s = sender(srv.url, 1);
    const [bad] = await sendAll(s, 1);
    expect(bad?.outcome).toEqual({ kind: 'error', error: kind });
    fail = false;
    const [good] = await sendAll(s, 1);
    expect(good?.outcome).toEqual({ kind: 'response', status: 200 });
    expect(srv.accepted()).toBe(2);
  });

  it('counts a refused connection as refused', async () => {
    const srv = await scripted(() => undefined);
    const url = srv.url;
    await closeLastScripted();
    const rs = await sendAll(sender(url, 2), 3);
    expect(rs.map((r) => r.outcome)).toEqual(Array(3).fill({ kind: 'error', error: 'refused' }));
  });

  it('sweep() times out overdue requests and closes their connection, so a late answer is never taken for the next', async () => {
    const srv = await scripted((sock, n) => {
      // The first answer comes after the timeout, the others at once.
      if (n === 0) setTimeout(() => !sock.destroyed && sock.write(ok('late')), 150);
      else sock.write(ok('x'));
    });
    const s = sender(srv.url, 1, 50);
    const first = sendAll(s, 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(s.inFlight).toBe(1);
    s.sweep(performance.now());
    const [r] = await first;
    expect(r?.outcome).toEqual({ kind: 'error', error: 'timeout' });
    expect(s.inFlight).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(srv.open()).toBe(0); // its connection was closed
    const [next] = await sendAll(s, 1);
    expect(next?.outcome).toEqual({ kind: 'response', status: 200 });
    expect(srv.accepted()).toBe(2);
  });

  it('sweep() leaves requests younger than the timeout alone', async () => {
    const srv = await scripted((sock) => setTimeout(() => sock.write(ok('x')), 40));
    const s = sender(srv.url, 1, 1000);
    const p = sendAll(s, 2);
    s.sweep(performance.now());
    expect(s.inFlight).toBe(2);
    expect((await p).map((r) => r.outcome.kind)).toEqual(['response', 'response']);
  });

  it('close() drops open requests without calling back and closes every connection', async () => {
    const srv = await scripted(() => undefined); // never answers
    const s = sender(srv.url, 3);
    let called = 0;
    for (let k = 0; k < 5; k++) s.send(() => called++);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(srv.open()).toBe(3);
    await s.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(srv.open()).toBe(0);
    expect(called).toBe(0);
  });

  it('refuses an endpoint that is not http://', () => {
    expect(() => sender('https://127.0.0.1:1/', 1)).toThrow(
      /plain HTTP\/1.1; https:\/\/127.0.0.1:1\/ is not an http:\/\/ URL/,
    );
  });
});
