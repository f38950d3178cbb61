import { linearRegression } from 'simple-statistics';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../src/engines/engine.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';
import type { Tier } from '../../src/spec/schema.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { startTestServer, type TestServer } from '../helpers/http-test-server.js';

const servers: TestServer[] = [];
async function server(opts?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

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

describe('builtin engine: rate and windows', () => {
  it('reports its version with node and undici versions', async () => {
    const v = await createBuiltinEngine().version();
    expect(v).toMatch(/^builtin-\d+\.\d+\.\d+\S* \(node v\d+\.\d+\.\d+, undici \d+\.\d+\.\d+\)$/);
  });

  // Timing-sensitive: retried because other suites on this shared 2-core box can starve this process (load
  // averages of 10 were seen) and its in-process server for whole seconds; every attempt asserts in full.
  it(
    'holds 500 RPS: achieved within 2%, nothing dropped, and the server sees that rate',
    { retry: 2 },
    async () => {
      const s = await server();
      const r = await createBuiltinEngine().run(
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
      // Independent of the engine's own counts, the rate the server saw: every one of the 1750 arrivals (warm-up
    // included) reached it, and the least-squares slope of arrival count over arrival time is 500/s. The slope
    // over 3.5 s is robust to this process being starved for a moment (arrivals then come in a burst, which
    // moves few points), unlike a count between two hook calls. 2% as for achievedRps.
    const arrivals = s.arrivalTimesMs();
    expect(arrivals.length).toBe(1750);
    const perSecond = linearRegression(arrivals.map((t, i) => [t / 1000, i])).m;
    expect(Math.abs(perSecond / 500 - 1)).toBeLessThan(0.02);
  });

  it('spreads connections and requests evenly over several endpoints', async () => {
    const a = await server();
    const b = await server();
    const r = await createBuiltinEngine().run(
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
