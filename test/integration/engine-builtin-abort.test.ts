import { afterEach, expect, it } from 'vitest';
import type { Tier } from '../../src/spec/schema.js';
import { describeEachCore } from '../helpers/engine-cores.js';
import { startTestServer, type TestServer } from '../helpers/http-test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const tier: Tier = {
  name: 't',
  rps: 200,
  durationSec: 20,
  warmupSec: 1,
  connections: 8,
  payloadBytes: 256,
  protocol: 'http/1.1',
  maxInFlight: 512,
  timeoutMs: 5000,
};

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return cond();
}

describeEachCore('builtin engine: abort', (engine) => {
  it('rejects promptly with an AbortError and closes every connection', async () => {
    const s = await startTestServer();
    servers.push(s);
    const ac = new AbortController();
    let abortedAt = 0;
    const run = engine().run({ endpoints: [s.url], protocol: 'http/1.1' }, tier, {
      signal: ac.signal,
      onMeasureStart: () => {
        abortedAt = performance.now();
        ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // Terminating the worker thread takes milliseconds; 1 s is slack for a loaded box.
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(s.requests()).toBeGreaterThan(100);
    // The worker's sockets are gone: the server sees its connections close without being forced.
    expect(await until(() => s.openConnections() === 0, 2000)).toBe(true);
  });

  it('rejects at once when the signal is already aborted, without sending anything', async () => {
    const s = await startTestServer();
    servers.push(s);
    const ac = new AbortController();
    ac.abort();
    const run = engine().run({ endpoints: [s.url], protocol: 'http/1.1' }, tier, {
      signal: ac.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.requests()).toBe(0);
  });
});
