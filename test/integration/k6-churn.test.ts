import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createK6Engine } from '../../src/engines/k6/index.js';
import type { Tier } from '../../src/spec/schema.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { buildFakeK6 } from '../helpers/fake-k6/build.js';
import { startTestServer } from '../helpers/http-test-server.js';

/*
 * The k6 engine's connection churn end to end: the real bundle, env and ingest, with the k6 test double
 * (test/helpers/fake-k6) that honours noConnectionReuse and sends the requests for real. The server counts the
 * connections it accepted: that, not the engine's word, says whether each request had its own.
 */
let dir = '';
let k6 = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshbench-test-k6-churn-'));
  k6 = await buildFakeK6(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tier: Tier = {
  name: 'churn',
  rps: 40,
  durationSec: 1,
  warmupSec: 0,
  connections: 2,
  payloadBytes: 64,
  protocol: 'http/1.1',
  maxInFlight: 64,
  timeoutMs: 2000,
};

describe('k6 engine, requestsPerConnection (k6 test double)', () => {
  it('1: every request arrives on a connection of its own, and every one is measured', async () => {
    const server = await startTestServer({ delayMs: 2 });
    try {
      const engine = createK6Engine({ k6Path: k6 });
      const r = await engine.run(
        { endpoints: [server.url], protocol: 'http/1.1' },
        { ...tier, requestsPerConnection: 1 },
        {},
      );
      expect(r.requests).toBe(40);
      expect(r.ok).toBe(40);
      expect(server.requests()).toBe(40);
      expect(server.acceptedConnections()).toBe(40);
      // Latency from the churn metric: one value per answered request, at least the server's 2 ms.
      const h = decodeHistogram(r.histogram);
      expect(h.totalCount).toBe(40);
      expect(h.minNonZeroValue).toBeGreaterThanOrEqual(2000);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('absent: keep-alive, far fewer connections than requests', async () => {
    const server = await startTestServer({ delayMs: 2 });
    try {
      const engine = createK6Engine({ k6Path: k6 });
      const r = await engine.run({ endpoints: [server.url], protocol: 'http/1.1' }, tier, {});
      expect(r.requests).toBe(40);
      expect(decodeHistogram(r.histogram).totalCount).toBe(40);
      expect(server.acceptedConnections()).toBeLessThan(10);
    } finally {
      await server.close();
    }
  }, 60_000);
});
