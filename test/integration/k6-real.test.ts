import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createK6Engine, findK6 } from '../../src/engines/k6/index.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import type { Tier } from '../../src/spec/schema.js';

// Runs the real k6 when one is on PATH; otherwise the test is reported as skipped, with the reason in its name.
const k6 = await findK6();
const reason = k6
  ? `k6 ${k6.version} at ${k6.path}`
  : 'SKIPPED: no k6 on PATH, meshbench doctor says how to install it';

describe(`k6 engine against a real k6 (${reason})`, () => {
  const servers: Server[] = [];
  const hits: number[] = [0, 0];
  const sizes = new Set<string>();

  beforeAll(async () => {
    if (!k6) return;
    for (let i = 0; i < 2; i++) {
      const server = createServer((req, res) => {
        hits[i] = (hits[i] ?? 0) + 1;
        const size = new URL(req.url ?? '/', 'http://x').searchParams.get('size') ?? '';
        sizes.add(size);
        res.end('x'.repeat(Number(size) || 0));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it.skipIf(!k6)(
    `runs a 1 s warm-up and a 2 s measure window at 50 rps on 127.0.0.1 (${reason})`,
    async () => {
      const tier: Tier = {
        name: 'low',
        rps: 50,
        durationSec: 2,
        warmupSec: 1,
        connections: 2,
        payloadBytes: 100,
        protocol: 'http/1.1',
        maxInFlight: 20,
        timeoutMs: 2000,
      };
      const endpoints = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
      const events: string[] = [];
      const engine = createK6Engine({ k6Path: k6?.path });
      expect(await engine.version()).toMatch(/^\d+\.\d+\.\d+/);
      const r = await engine.run({ endpoints, protocol: 'http/1.1' }, tier, {
        tags: { mode: 'baseline', rep: '1' },
        onMeasureStart: () => events.push('start'),
        onMeasureEnd: () => events.push('end'),
      });
      // 50/s for 2 s is 100 arrivals (k6 also starts one at t=0: 101). A loaded 2-core box may make k6 drop a few.
      expect(r.requests + r.dropped).toBeGreaterThanOrEqual(99);
      expect(r.requests + r.dropped).toBeLessThanOrEqual(102);
      expect(r.ok).toBe(r.requests);
      expect(decodeHistogram(r.histogram).totalCount).toBe(r.requests);
      // The warm-up's ~50 requests reached the servers but are not in the result.
      const total = (hits[0] ?? 0) + (hits[1] ?? 0);
      expect(total - r.requests).toBeGreaterThanOrEqual(45);
      // Round robin over both endpoints (per scenario), asking for the tier's payload.
      expect(Math.abs((hits[0] ?? 0) - (hits[1] ?? 0))).toBeLessThanOrEqual(2);
      expect([...sizes]).toEqual(['100']);
      expect(events).toEqual(['start', 'end']);
    },
  );
});
