import { linearRegression } from 'simple-statistics';
import { expect, it } from 'vitest';
import type { LoadProgress } from '../../src/engines/engine.js';
import type { Tier } from '../../src/spec/schema.js';
import { describeEachCore } from '../helpers/engine-cores.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { testServersClosedAfterEach } from '../helpers/http-test-server.js';

const server = testServersClosedAfterEach();

function tier(t: Partial<Tier>): Tier {
  return {
    name: 't',
    rps: 100,
    durationSec: 1,
    warmupSec: 0,
    connections: 8,
    payloadBytes: 256,
    protocol: 'http/1.1',
    maxInFlight: 512,
    timeoutMs: 2000,
    ...t,
  };
}

describeEachCore('builtin engine: rate and windows', (engine, core) => {
  it('requestsPerConnection: 1 opens a connection per request, 5 one per five; latency still counts them all', async () => {
    for (const [perConnection, connections] of [
      [1, 4],
      [5, 4],
    ] as const) {
      const s = await server();
      const r = await engine().run(
        { endpoints: [s.url], protocol: 'http/1.1' },
        tier({ rps: 200, durationSec: 1, connections, requestsPerConnection: perConnection }),
        {},
      );
      expect(r.errors).toEqual({ byStatus: {}, byKind: {} });
      expect(r.requests).toBe(200);
      expect(s.requests()).toBe(200);
      // Each slot closes its connection after perConnection responses: at most one partly used per slot.
      const expected = 200 / perConnection;
      expect(s.acceptedConnections()).toBeGreaterThanOrEqual(expected);
      expect(s.acceptedConnections()).toBeLessThanOrEqual(expected + connections);
      await s.close();
    }
  });

  it('reports its version with the core that runs the load', async () => {
    const v = await engine().version();
    expect(v).toMatch(
      core === 'native'
        ? /^builtin-\d+\.\d+\.\d+\S* \(native core; h2c and gRPC on the JavaScript core\)$/
        : /^builtin-\d+\.\d+\.\d+\S* \(JavaScript core, node v\d+\.\d+\.\d+\)$/,
    );
  });

  // Timing-sensitive: retried because other suites on this shared 2-core box can starve this process (load
  // averages of 10 were seen) and its in-process server for whole seconds; every attempt asserts in full.
  it(
    'holds 500 RPS: achieved within 2%, nothing dropped, and the server sees that rate',
    { retry: 2 },
    async () => {
      const s = await server();
      const r = await engine().run(
        { endpoints: [s.url], protocol: 'http/1.1' },
        // maxInFlight 4000: even a server starved for seconds must not make this test drop arrivals.
        tier({
          rps: 500,
          durationSec: 3,
          warmupSec: 0.5,
          connections: 16,
          payloadBytes: 1024,
          maxInFlight: 4000,
        }),
        {},
      );
      expect(r.dropped).toBe(0);
      // The window holds exactly the 1500 arrivals intended in it; every one completes against a healthy server.
      expect(r.requests).toBe(1500);
      expect(r.ok).toBe(1500);
      expect(Math.abs(r.achievedRps / 500 - 1)).toBeLessThan(0.02);
      expect(decodeHistogram(r.histogram).totalCount).toBe(1500);
      // Independent of the engine's own counts: every one of the 1750 arrivals (warm-up included) reached the
      // server, and the least-squares slope of arrival count over arrival time there is 500/s. This measures
      // the in-process server as much as the generator: when other suites starve this process (load average
      // 10 on 2 cores), the server falls hundreds of ms behind and catches up in bursts, and the slope was
      // seen 7-10% off while achievedRps stayed within 0.5%. Hence 5% here, and the retries above.
      const arrivals = s.arrivalTimesMs();
      expect(arrivals.length).toBe(1750);
      const perSecond = linearRegression(arrivals.map((t, i) => [t / 1000, i])).m;
      expect(Math.abs(perSecond / 500 - 1)).toBeLessThan(0.05);
    },
  );

  it('excludes warm-up: counts only the window, calls each measure hook once, in order, and reports progress', async () => {
    const s = await server();
    const events: string[] = [];
    const progress: LoadProgress[] = [];
    let startAt = 0;
    let endAt = 0;
    const r = await engine().run(
      { endpoints: [s.url], protocol: 'http/1.1' },
      tier({ rps: 200, warmupSec: 1, durationSec: 1 }),
      {
        onMeasureStart: () => {
          events.push('start');
          startAt = performance.now();
        },
        onMeasureEnd: () => {
          events.push('end');
          endAt = performance.now();
        },
        onProgress: (p) => progress.push(p),
      },
    );
    expect(events).toEqual(['start', 'end']);
    // 200 arrivals were intended in the 1 s window; the 200 warm-up requests reached the server but not the result.
    expect(r.requests).toBe(200);
    expect(decodeHistogram(r.histogram).totalCount).toBe(200);
    expect(s.requests()).toBe(400);
    expect(r.measureSeconds).toBeGreaterThanOrEqual(1);
    // The window is 1 s of the worker's clock, seen here through two messages: 300 ms of slack either way
    // for a loaded box, still far from a window of 0 or 2 s.
    expect(endAt - startAt).toBeGreaterThan(700);
    expect(endAt - startAt).toBeLessThan(1300);
    // Every 250 ms over 2 s: about 8 reports, warm-up first, then the window.
    expect(progress.length).toBeGreaterThanOrEqual(5);
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('warmup');
    expect(phases.lastIndexOf('warmup')).toBeLessThan(phases.indexOf('measure'));
    for (const p of progress) {
      expect(p.phaseSec).toBe(1);
      expect(p.completed).toBeLessThanOrEqual(p.sent);
      expect(p.sent).toBeLessThanOrEqual(400);
    }
  });

  it('spreads connections and requests evenly over several endpoints', async () => {
    const a = await server();
    const b = await server();
    const r = await engine().run(
      { endpoints: [a.url, b.url], protocol: 'http/1.1' },
      tier({ rps: 200, durationSec: 1, connections: 4 }),
      {},
    );
    expect(r.requests).toBe(200);
    // Round robin over 4 connections bound alternately to a and b: exactly half each.
    expect(a.requests()).toBe(100);
    expect(b.requests()).toBe(100);
  });
});
