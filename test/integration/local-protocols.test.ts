import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArrivals } from '../../src/engines/builtin/arrival-schedule.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';
import { MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import { readShowStat, statNumber } from '../../src/platforms/local/haproxy-stats.js';
import {
  createLocalPlatform,
  type LocalDeployment,
  type LocalPlatform,
} from '../../src/platforms/local/index.js';
import type { ResolvedSpec, Tier, TierProtocol } from '../../src/spec/schema.js';
import { resolveSpec } from '../../src/spec/validate.js';
import { readResults } from '../../src/results/read.js';
import { runCli } from '../helpers/cli.js';

/**
 * One tier of each protocol plus a churn tier of HTTP/1.1 and of gRPC, through every mode's local emulation, with the builtin engine.
 * What the engine reports is checked against what the other side saw: the apps count requests and connections
 * per protocol, and HAProxy counts the connections its first listener accepted. So a tier that silently fell
 * back to HTTP/1.1, or a churn tier that kept its connections, fails here.
 */
const TIER = { rps: 100, durationSec: 1, warmupSec: 0.3, connections: 4, timeoutMs: 3000 };
const spec: ResolvedSpec = resolveSpec({
  modes: [...MODE_NAMES],
  app: { replicas: 2 },
  tiers: [
    { name: 'h1', ...TIER },
    { name: 'h2', ...TIER, protocol: 'h2c' },
    { name: 'rpc', ...TIER, protocol: 'grpc' },
    { name: 'churn', ...TIER, requestsPerConnection: 1 },
    { name: 'rpc-churn', ...TIER, protocol: 'grpc', requestsPerConnection: 1 },
  ],
});

type Counts = Record<TierProtocol, { requests: number; connections: number }>;

/** The apps' counters, summed over replicas, per protocol. */
async function appCounts(d: LocalDeployment): Promise<Counts> {
  const c: Counts = {
    'http/1.1': { requests: 0, connections: 0 },
    h2c: { requests: 0, connections: 0 },
    grpc: { requests: 0, connections: 0 },
  };
  for (const p of d.local.processes.filter((x) => x.kind === 'app')) {
    const h1 = p.protocolPorts?.['http/1.1'];
    if (h1) {
      const s = (await h1Stats(h1)) as { requests: number; connections: number };
      c['http/1.1'].requests += s.requests;
      c['http/1.1'].connections += s.connections;
    }
    const h2 = p.protocolPorts?.h2c;
    if (h2) {
      const s = (await h2Stats(h2)) as Record<'h2c' | 'grpc', { requests: number; connections: number }>;
      for (const k of ['h2c', 'grpc'] as const) {
        c[k].requests += s[k].requests;
        c[k].connections += s[k].connections;
      }
    }
  }
  return c;
}

/** On a connection of its own (no pooling), so each read adds exactly one connection to the app's count. */
function h1Stats(port: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/.meshbench/stats', agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(JSON.parse(body)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function h2Stats(port: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const s = connect(`http://127.0.0.1:${port}`);
    const req = s.request({ ':path': '/.meshbench/stats' });
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      s.close();
      resolve(JSON.parse(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Connections accepted where the engine connects, for the tier's protocol: the first proxy's listener (HAProxy's
 * frontend conn_tot), or the apps themselves where no proxy comes first (baseline).
 */
async function firstHopConnections(d: LocalDeployment, protocol: TierProtocol): Promise<number> {
  const target = protocol === 'http/1.1' ? d.target : d.targets?.[protocol];
  const port = Number(new URL(target?.endpoints[0] as string).port);
  const proxy = d.local.processes.find((p) => p.kind === 'haproxy' && p.ports.includes(port));
  if (!proxy) return (await appCounts(d))[protocol].connections;
  const cfg = readFileSync(proxy.configFile as string, 'utf8');
  const m = new RegExp(`frontend (\\S+)\\n[^\\n]*\\n\\s+bind 127\\.0\\.0\\.1:${port}\\b`).exec(cfg);
  if (!m) throw new Error(`no frontend on port ${port} in ${proxy.configFile}`);
  const rows = await readShowStat(proxy.statsSocket as string);
  return statNumber(
    rows.find((r) => r.pxname === m[1] && r.svname === 'FRONTEND'),
    'conn_tot',
  );
}

let platform: LocalPlatform;
beforeAll(() => {
  platform = createLocalPlatform({
    runId: `test-protocols-${process.pid}`,
    spec,
    engine: createBuiltinEngine(),
  });
});
afterAll(async () => {
  await platform?.down();
});

describe('h2c, gRPC and connection churn through every mode', () => {
  it.each(MODE_NAMES.map((m) => [m] as [ModeName]))(
    '%s: each tier uses its protocol and its connections',
    { timeout: 90_000 },
    async (mode) => {
      const d = (await platform.up(getMode(mode))) as LocalDeployment;
      for (const tier of spec.tiers as Tier[]) {
        const sent = planArrivals(tier.rps, tier.warmupSec, tier.durationSec).endMeasured;
        const appBefore = await appCounts(d);
        const hopBefore = await firstHopConnections(d, tier.protocol);
        const r = await platform.load(d, tier, {});
        const hopAfter = await firstHopConnections(d, tier.protocol);
        const appAfter = await appCounts(d);
        const what = `${mode} tier ${tier.name}`;
        expect(r.errors, what).toEqual({ byStatus: {}, byKind: {} });
        expect(r.dropped, what).toBe(0);
        expect(r.requests, what).toBe(100);
        // Every request the engine sent (warm-up included) reached the app over the tier's protocol, and no
        // request reached another protocol's server.
        for (const p of ['http/1.1', 'h2c', 'grpc'] as const)
          expect(appAfter[p].requests - appBefore[p].requests, `${what}: ${p} requests at the apps`).toBe(
            p === tier.protocol ? sent : 0,
          );
        // Where the engine connects: on baseline that is the apps, where each stats read of an HTTP/1.1 app
        // between the two counts (the second's) is a connection of its own.
        const statsReads = d.proxies.length === 0 && tier.protocol === 'http/1.1' ? spec.app.replicas : 0;
        const connections = hopAfter - hopBefore - statsReads;
        if (tier.requestsPerConnection === 1) expect(connections, `${what}: connections`).toBe(sent);
        else {
          expect(connections, `${what}: connections`).toBeGreaterThanOrEqual(1);
          expect(connections, `${what}: connections`).toBeLessThanOrEqual(tier.connections);
        }
      }
    },
  );
});

describe('the same tiers through `meshbench run`', () => {
  it('runs to completion and records each tier’s protocol and churn', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshbench-protocols-run-'));
    try {
      const specFile = join(dir, 'spec.yaml');
      await writeFile(
        specFile,
        JSON.stringify({
          name: 'protocols',
          modes: ['baseline', 'istio-waypoint'],
          repetitions: 1,
          cooldownSec: 0,
          tiers: spec.tiers.map((t) => ({ ...t })),
        }),
      );
      const r = await runCli(['run', specFile, '--engine', 'builtin', '--run-id', 'p', '--out', dir]);
      expect(r.code, r.err.join('\n')).toBe(0);
      const results = await readResults(join(dir, 'p', 'results.json'));
      expect(results.cells.map((c) => [c.mode, c.tier, c.status, c.latency?.ok])).toEqual(
        expect.arrayContaining(
          ['h1', 'h2', 'rpc', 'churn', 'rpc-churn'].flatMap((tier) =>
            ['baseline', 'istio-waypoint'].map((mode) => [mode, tier, 'ok', 100]),
          ),
        ),
      );
      expect(results.spec.tiers.map((t) => [t.name, t.protocol, t.requestsPerConnection])).toEqual([
        ['h1', 'http/1.1', undefined],
        ['h2', 'h2c', undefined],
        ['rpc', 'grpc', undefined],
        ['churn', 'http/1.1', 1],
        ['rpc-churn', 'grpc', 1],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
