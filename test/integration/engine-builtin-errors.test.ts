import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import type { Tier } from '../../src/spec/schema.js';
import { describeEachCore } from '../helpers/engine-cores.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { testServersClosedAfterEach } from '../helpers/http-test-server.js';

const server = testServersClosedAfterEach();

function tier(t: Partial<Tier>): Tier {
  return {
    name: 't',
    rps: 50,
    durationSec: 1,
    warmupSec: 0,
    connections: 4,
    payloadBytes: 64,
    protocol: 'http/1.1',
    maxInFlight: 256,
    timeoutMs: 2000,
    ...t,
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describeEachCore('builtin engine: errors', (engine) => {
  it('counts refused connections', async () => {
    const port = await closedPort();
    const r = await engine().run(
      { endpoints: [`http://127.0.0.1:${port}`], protocol: 'http/1.1' },
      tier({}),
      {},
    );
    // Every one of the 50 arrivals completes with ECONNREFUSED.
    expect(r.requests).toBe(50);
    expect(r.ok).toBe(0);
    expect(r.errors.byKind).toEqual({ refused: 50 });
    expect(r.errors.byStatus).toEqual({});
  });

  it('counts HTTP 500s by status and not as ok', async () => {
    const s = await server({ status: (n) => (n % 4 === 0 ? 500 : 200) });
    const r = await engine().run({ endpoints: [s.url], protocol: 'http/1.1' }, tier({ rps: 100 }), {});
    // No warm-up: the server's 100 requests are the window's 100, and every 4th got a 500.
    expect(r.requests).toBe(100);
    expect(r.ok).toBe(75);
    expect(r.errors.byStatus).toEqual({ '500': 25 });
    expect(r.errors.byKind).toEqual({});
  });

  it('counts requests unanswered after timeoutMs as timeouts, and waits no longer than that', async () => {
    const s = await server({ hang: true });
    let windowOpenedAt = 0;
    const r = await engine().run(
      { endpoints: [s.url], protocol: 'http/1.1' },
      tier({ rps: 20, timeoutMs: 200, connections: 2 }),
      { onMeasureStart: () => (windowOpenedAt = performance.now()) },
    );
    const tookMs = performance.now() - windowOpenedAt;
    expect(r.requests).toBe(20);
    expect(r.ok).toBe(0);
    expect(r.errors.byKind).toEqual({ timeout: 20 });
    const h = decodeHistogram(r.histogram);
    // Recorded when declared: at least 200 ms after the send (and the intended time), and soon after it: the
    // check runs every 10 ms, far below undici's own backstop at 1200 ms (300 ms of slack for a loaded box).
    expect(h.minNonZeroValue).toBeGreaterThanOrEqual(199_800);
    expect(h.maxValue).toBeLessThan(500_000);
    // The run ends once the window's last request timed out: 1 s + 200 ms, plus slack for a loaded box, and
    // well before 1 s + the 1200 ms backstop.
    expect(tookMs).toBeLessThan(2000);
  });

  it('drops arrivals beyond maxInFlight', async () => {
    const s = await server({ delayMs: 200 });
    const r = await engine().run(
      { endpoints: [s.url], protocol: 'http/1.1' },
      tier({ rps: 50, maxInFlight: 2, connections: 2 }),
      {},
    );
    // 2 requests of 200 ms at a time serve ~10 of the 50 arrivals in 1 s; the other ~40 are dropped, unsent.
    expect(r.requests + r.dropped).toBe(50);
    expect(r.dropped).toBeGreaterThanOrEqual(35);
    expect(r.requests).toBeLessThanOrEqual(15);
    expect(s.requests()).toBe(r.requests);
    expect(r.achievedRps).toBeLessThan(20);
  });
});
