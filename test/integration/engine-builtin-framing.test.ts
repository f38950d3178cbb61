import type { Socket } from 'node:net';
import { expect, it } from 'vitest';
import type { LatencyResult } from '../../src/results/schema.js';
import type { Tier } from '../../src/spec/schema.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { describeEachCore } from '../helpers/engine-cores.js';
import { closeLastScripted, ok, scripted, type Reply } from '../helpers/scripted-server.js';

/**
 * Every HTTP/1.1 framing and failure the engine must handle, through the whole engine (both cores), against
 * scripted raw TCP servers: 20 requests at 40 RPS over one connection, so that the counts are known answers.
 */
const tier: Tier = {
  name: 'framing',
  rps: 40,
  durationSec: 0.5,
  warmupSec: 0,
  connections: 1,
  payloadBytes: 16,
  protocol: 'http/1.1',
  maxInFlight: 64,
  timeoutMs: 2000,
};
const N = 20;

describeEachCore('builtin engine: HTTP/1.1 framing', (engine) => {
  const run = (url: string): Promise<LatencyResult> =>
    engine().run({ endpoints: [url], protocol: 'http/1.1' }, tier, {});

  it('sends a plain GET with Host, the base path and the size parameter on one keep-alive connection', async () => {
    const srv = await scripted((sock) => sock.write(ok('x')));
    const r = await run(srv.url);
    expect(r.ok).toBe(N);
    expect(srv.accepted()).toBe(1);
    const head = srv.requests[0] ?? '';
    expect(head).toMatch(/^GET \/base\/\?size=16 HTTP\/1\.1\r\n/);
    expect(head).toMatch(new RegExp(`\\r\\nHost: ${new URL(srv.url).host}(\\r\\n|$)`, 'i'));
  });

  it('reads a response split over many writes, and times it to the last byte', async () => {
    const wire = Buffer.from(ok('y'.repeat(5000), 'X-Pad: 1\r\n'), 'latin1');
    const srv = await scripted((sock) => {
      const cuts = [0, 7, 20, 40, 1000, 3000, wire.length];
      cuts.slice(1).forEach((end, k) => setTimeout(() => sock.write(wire.subarray(cuts[k], end)), k * 2));
    });
    const r = await run(srv.url);
    expect(r.ok).toBe(N);
    // The last piece leaves 10 ms after the request arrives: no response can be timed shorter.
    expect(decodeHistogram(r.histogram).minNonZeroValue).toBeGreaterThanOrEqual(9_000);
  });

  it('reads chunked bodies (with a trailer) and statuses other than 200, on one connection', async () => {
    const srv = await scripted((sock) =>
      sock.write(
        'HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n',
      ),
    );
    const r = await run(srv.url);
    expect(r.requests).toBe(N);
    expect(r.ok).toBe(0);
    expect(r.errors.byStatus).toEqual({ '503': N });
    expect(srv.accepted()).toBe(1);
  });

  it('skips a 100 Continue before the response', async () => {
    const srv = await scripted((sock) => sock.write(`HTTP/1.1 100 Continue\r\n\r\n${ok('x')}`));
    const r = await run(srv.url);
    expect(r.ok).toBe(N);
    expect(srv.accepted()).toBe(1);
  });

  it('opens a new connection after Connection: close, and after a body framed by the end of the connection', async () => {
    const close = await scripted((sock) => sock.write(ok('x', 'Connection: close\r\n'), () => sock.end()));
    expect((await run(close.url)).ok).toBe(N);
    expect(close.accepted()).toBe(N);
    const untilClose = await scripted((sock) =>
      sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close'),
    );
    expect((await run(untilClose.url)).ok).toBe(N);
    expect(untilClose.accepted()).toBe(N);
  });

  it.each([
    {
      name: 'a connection reset mid-response',
      reply: ((s: Socket) =>
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab', () => s.resetAndDestroy())) as Reply,
      kind: 'reset',
    },
    { name: 'a close before any response', reply: ((s: Socket) => s.end()) as Reply, kind: 'reset' },
    {
      name: 'a close mid-body',
      reply: ((s: Socket) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab')) as Reply,
      kind: 'reset',
    },
    {
      name: 'a response that is not HTTP',
      reply: ((s: Socket) => s.write('SSH-2.0-OpenSSH_9.2\r\n\r\n')) as Reply,
      kind: 'other',
    },
    {
      name: 'an unasked-for second response',
      reply: ((s: Socket) => s.write(ok('a') + ok('b'))) as Reply,
      kind: 'other',
    },
  ])('counts $name as $kind once, and recovers on a new connection', async ({ reply, kind }) => {
    const srv = await scripted((sock, n) => (n === 0 ? reply(sock, n) : sock.write(ok('fine'))));
    const r = await run(srv.url);
    expect(r.requests).toBe(N);
    expect(r.errors.byKind).toEqual({ [kind]: 1 });
    expect(r.ok).toBe(N - 1);
    expect(srv.accepted()).toBe(2);
  });

  it('counts refused connections as refused, every one', async () => {
    const srv = await scripted(() => undefined);
    await closeLastScripted();
    const r = await run(srv.url);
    expect(r.requests).toBe(N);
    expect(r.errors.byKind).toEqual({ refused: N });
  });
});
