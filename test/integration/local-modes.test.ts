import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import { getMode, modes } from '../../src/modes/registry.js';
import {
  createLocalPlatform,
  readPid,
  readShowStat,
  statNumber,
  type LocalDeployment,
  type LocalPlatform,
  type StatRow,
} from '../../src/platforms/local/index.js';
import { isListening } from '../../src/platforms/local/ports.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import type { ResolvedSpec } from '../../src/spec/schema.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';

/**
 * Every mode for real: HAProxy and app processes on loopback. Traffic is proven to cross every proxy a
 * deployment claims by that proxy's own counters (stats socket), read from the very pid the deployment lists.
 */
const spec = (over: Partial<ResolvedSpec['app']> = {}): ResolvedSpec => ({
  ...DEFAULT_SPEC,
  app: { ...DEFAULT_SPEC.app, ...over },
});
let platform: LocalPlatform | undefined;
let runs = 0;
afterEach(async () => {
  await platform?.down();
  platform = undefined;
});
const newPlatform = (s = spec()): LocalPlatform =>
  (platform = createLocalPlatform({
    engine: createBuiltinEngine(),
    runId: `test-modes-${process.pid}-${++runs}`,
    spec: s,
  }));

/** A process is gone once /proc has no entry for it or it is a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** 50 requests, 10 at a time: several keep-alive connections, so per-connection (L4) balancing rotates too. */
async function send50(d: LocalDeployment): Promise<void> {
  const agent = new Agent({ connections: 10 });
  try {
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const endpoint = d.target.endpoints[i % d.target.endpoints.length] as string;
          const res = await request(`${endpoint}/?size=100`, { dispatcher: agent });
          expect(res.statusCode).toBe(200);
          expect((await res.body.arrayBuffer()).byteLength).toBe(100);
        }),
      );
    }
  } finally {
    await agent.close();
  }
}

/**
 * Traffic counters per row: sessions, and for HTTP frontends requests too, since sidecars that speak HTTP/2 to
 * each other (linkerd) multiplex every request over one long-lived connection (one frontend session).
 */
const counters = async (socket: string): Promise<Map<string, number>> =>
  new Map(
    (await readShowStat(socket)).map((r: StatRow) => [
      `${r.pxname}/${r.svname}`,
      r.svname === 'FRONTEND'
        ? Math.max(statNumber(r, 'stot'), statNumber(r, 'req_tot'))
        : statNumber(r, 'stot'),
    ]),
  );

describe('local platform, every mode', () => {
  it.each(MODE_NAMES.map((m) => [m]))(
    '%s: traffic crosses every listed proxy; down() leaves nothing',
    async (name: ModeName) => {
      const p = newPlatform();
      const d = await p.up(getMode(name));
      const haproxies = d.local.processes.filter((x) => x.kind === 'haproxy');
      const apps = d.local.processes.filter((x) => x.kind === 'app');
      expect(apps).toHaveLength(2);
      expect(d.topology.pods.filter((x) => x.role === 'server')).toHaveLength(2);

      // The proxies the deployment lists (what the sampler reads) are exactly the HAProxy processes, by pid.
      expect(d.proxies.map((x) => x.info.id).sort()).toEqual(haproxies.map((x) => x.id).sort());
      for (const h of haproxies) {
        const listed = d.proxies.find((x) => x.info.id === h.id);
        expect(listed?.locator).toEqual({ kind: 'pid', pid: h.pid });
        expect(await readPid(h.statsSocket as string)).toBe(h.pid);
        expect(readFileSync(`/proc/${h.pid}/cmdline`, 'utf8')).toContain(h.configFile as string);
        expect(listed?.info.implementation).toMatch(/^haproxy \d+\.\d+/);
      }

      const before = new Map(
        await Promise.all(
          haproxies.map(async (h) => [h.id, await counters(h.statsSocket as string)] as const),
        ),
      );
      await send50(d);
      for (const h of haproxies) {
        const after = await counters(h.statsSocket as string);
        const b = before.get(h.id);
        // Every frontend (listener), every upstream server and every backend of every proxy carried new traffic.
        for (const [key, total] of after)
          expect(total - (b?.get(key) ?? 0), `${h.id} ${key}`).toBeGreaterThan(0);
        expect([...after.keys()].some((k) => k.endsWith('/FRONTEND'))).toBe(true);
      }
      if (name === 'baseline') expect(d.target.endpoints).toHaveLength(2);
      else expect(d.target.endpoints).toHaveLength(1);

      const pids = d.local.processes.map((x) => x.pid);
      const ports = d.local.processes.flatMap((x) => x.ports);
      await p.down();
      for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
      for (const port of ports) expect(await isListening(port), `port ${port}`).toBe(false);
      expect(existsSync(p.runDir)).toBe(false);
      await p.down(); // idempotent
    },
  );

  it('holds every mode up at once, each answering, and down() stops them all', async () => {
    const p = newPlatform();
    expect(p.canHoldAllModes([...modes.values()])).toEqual({ ok: true });
    const all = await Promise.all([...modes.values()].map((m) => p.up(m)));
    for (const d of all) {
      const res = await request(`${d.target.endpoints[0]}/?size=3`);
      expect(await res.body.text()).toBe('xxx');
    }
    const pids = all.flatMap((d) => d.local.processes.map((x) => x.pid));
    expect(new Set(pids).size).toBe(pids.length);
    await p.down();
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(p.runDir)).toBe(false);
  });

  it('sampler(): reads CPU and memory of each proxy process while traffic flows', async () => {
    const p = newPlatform({ ...spec(), local: { ...DEFAULT_SPEC.local, sampleIntervalMs: 100 } });
    const d = await p.up(getMode('istio-ambient'));
    const sampler = p.sampler(d);
    sampler.start();
    // 800 ms of requests on fresh connections: each costs both ztunnels a TLS handshake, so CPU shows up.
    const end = performance.now() + 800;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (performance.now() < end) {
          const res = await request(`${d.target.endpoints[0]}/`, { reset: true });
          await res.body.dump();
        }
      }),
    );
    const series = await sampler.stop();
    expect(series.map((s) => s.proxyId).sort()).toEqual(['ztunnel-node-1', 'ztunnel-node-2']);
    for (const s of series) {
      expect(s.points.length, s.proxyId).toBeGreaterThanOrEqual(3);
      expect(
        s.points.reduce((a, x) => a + x.cpuMillicores, 0),
        s.proxyId,
      ).toBeGreaterThan(0);
      expect(Math.min(...s.points.map((x) => x.memMiB)), s.proxyId).toBeGreaterThan(1);
    }
  });

  it('the app adds delayMs to every response', async () => {
    const delayMs = 120;
    const p = newPlatform(spec({ delayMs }));
    const d = await p.up(getMode('baseline'));
    const t0 = performance.now();
    const res = await request(`${d.target.endpoints[0]}/`);
    await res.body.dump();
    // Node timers may fire up to 1 ms early against performance.now() (libuv's loop clock is in whole ms).
    expect(performance.now() - t0).toBeGreaterThanOrEqual(delayMs - 1);
  });

  it('describe() names HAProxy and prints the emulation note', async () => {
    const desc = await newPlatform().describe();
    expect(desc.proxy.name).toBe('haproxy');
    expect(desc.emulation).toContain(`HAProxy ${desc.proxy.version}`);
  });
});
