import { describe, expect, it } from 'vitest';
import type { ModeDefinition, ModeName } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import {
  listenerKey,
  listenerKeys,
  renderHaproxyConfig,
  wireTopology,
  type Wiring,
} from '../../src/platforms/local/haproxy-config.js';
import { planTopology, type TopologyPlan } from '../../src/platforms/local/topology-plan.js';

const TIMEOUTS = { connectMs: 5000, idleMs: 65_000, keepAliveMs: 60_000 };

/** Wires a mode with made-up ports: listeners from 20001 in plan order, apps at 3000 + replica number. */
function wire(
  mode: ModeName,
  withTls = true,
): { plan: TopologyPlan; ports: Map<string, number>; wiring: Wiring; cfg: Record<string, string> } {
  const plan = planTopology(getMode(mode), { replicas: 2, nodes: 2 });
  const ports = new Map(listenerKeys(plan).map((k, i) => [k, 20001 + i]));
  const ids = plan.proxies.map((p) => p.id);
  const wiring = wireTopology(plan, {
    listenerPorts: ports,
    appPorts: new Map([
      ['server-1', 3001],
      ['server-2', 3002],
    ]),
    statsSockets: new Map(ids.map((id) => [id, `/run/${id}.sock`])),
    threads: 3,
    timeouts: TIMEOUTS,
    ...(withTls
      ? { tls: { caFile: '/certs/ca.pem', certFiles: new Map(ids.map((id) => [id, `/certs/${id}.pem`])) } }
      : {}),
  });
  const cfg = Object.fromEntries(wiring.proxies.map((c) => [c.proxyId, renderHaproxyConfig(c)]));
  return { plan, ports, wiring, cfg };
}

/** The lines of one config section ("frontend x", "backend y"), up to the next blank line. */
function section(text: string | undefined, header: string): string[] {
  const lines = (text ?? '').split('\n');
  const i = lines.indexOf(header);
  if (i < 0) throw new Error(`no section "${header}" in:\n${text}`);
  const end = lines.indexOf('', i);
  return lines.slice(i + 1, end < 0 ? undefined : end).map((l) => l.trim());
}

const mtlsBind = (id: string) => `ssl crt /certs/${id}.pem ca-file /certs/ca.pem verify required`;
const port = (ports: Map<string, number>, id: string, listener: string) =>
  ports.get(listenerKey(id, listener));

describe('wireTopology + renderHaproxyConfig', () => {
  it('baseline: no proxies; the target is every replica', () => {
    const { wiring } = wire('baseline');
    expect(wiring.proxies).toEqual([]);
    expect(wiring.target).toEqual({
      endpoints: ['http://127.0.0.1:3001', 'http://127.0.0.1:3002'],
      protocol: 'http/1.1',
    });
  });

  it('every proxy config has threads, a stats socket, timeouts and no logging', () => {
    for (const mode of ['appmesh', 'istio-sidecar', 'istio-ambient', 'istio-waypoint'] as const) {
      for (const [id, text] of Object.entries(wire(mode).cfg)) {
        expect(text).toContain('    nbthread 3\n');
        expect(text).toContain(`    stats socket /run/${id}.sock mode 600 level operator\n`);
        expect(text).toContain('    timeout server 65000ms\n');
        expect(text).not.toMatch(/^\s*log\s/m);
      }
    }
  });

  it('appmesh: plaintext L7 sidecars; the client sidecar balances over the server sidecars', () => {
    const { cfg, ports, wiring } = wire('appmesh', false);
    expect(wiring.target.endpoints).toEqual([
      `http://127.0.0.1:${port(ports, 'client-sidecar', 'outbound')}`,
    ]);
    expect(section(cfg['client-sidecar'], 'frontend outbound')).toEqual([
      'mode http',
      `bind 127.0.0.1:${port(ports, 'client-sidecar', 'outbound')}`,
      'option http-keep-alive',
      'default_backend outbound-upstream',
    ]);
    expect(section(cfg['client-sidecar'], 'backend outbound-upstream')).toEqual([
      'mode http',
      'balance roundrobin',
      'http-reuse always',
      'option http-keep-alive',
      `server server-1 127.0.0.1:${port(ports, 'server-sidecar-1', 'inbound')}`,
      `server server-2 127.0.0.1:${port(ports, 'server-sidecar-2', 'inbound')}`,
    ]);
    expect(section(cfg['server-sidecar-2'], 'frontend inbound')).toContain(
      `bind 127.0.0.1:${port(ports, 'server-sidecar-2', 'inbound')}`,
    );
    expect(section(cfg['server-sidecar-2'], 'backend inbound-upstream')).toContain(
      'server server-2 127.0.0.1:3002',
    );
    expect(Object.values(cfg).join('\n')).not.toContain(' ssl crt ');
  });

  it('istio-sidecar: server sidecars demand a client certificate; the client sidecar presents its own', () => {
    const { cfg, ports } = wire('istio-sidecar');
    expect(section(cfg['server-sidecar-1'], 'frontend inbound')).toContain(
      `bind 127.0.0.1:${port(ports, 'server-sidecar-1', 'inbound')} ${mtlsBind('server-sidecar-1')}`,
    );
    expect(section(cfg['server-sidecar-1'], 'frontend inbound')).toContain('mode http');
    // sidecar -> app stays plaintext inside the pod
    expect(section(cfg['server-sidecar-1'], 'backend inbound-upstream')).toContain(
      'server server-1 127.0.0.1:3001',
    );
    expect(section(cfg['client-sidecar'], 'backend outbound-upstream')).toContain(
      `server server-2 127.0.0.1:${port(ports, 'server-sidecar-2', 'inbound')} ${mtlsBind('client-sidecar')}`,
    );
    expect(section(cfg['client-sidecar'], 'frontend outbound')).not.toContain(expect.stringContaining('ssl'));
  });

  it('istio-ambient: TCP ztunnels; outbound balances over per-pod inbound listeners over mTLS, also on the same node', () => {
    const { cfg, ports, wiring } = wire('istio-ambient');
    expect(Object.keys(cfg)).toEqual(['ztunnel-node-1', 'ztunnel-node-2']);
    expect(Object.values(cfg).join('\n')).not.toContain('mode http');
    expect(wiring.target.endpoints).toEqual([
      `http://127.0.0.1:${port(ports, 'ztunnel-node-1', 'outbound')}`,
    ]);
    expect(section(cfg['ztunnel-node-1'], 'backend outbound-upstream')).toEqual([
      'mode tcp',
      'balance roundrobin',
      `server server-1 127.0.0.1:${port(ports, 'ztunnel-node-1', 'inbound-server-1')} ${mtlsBind('ztunnel-node-1')}`,
      `server server-2 127.0.0.1:${port(ports, 'ztunnel-node-2', 'inbound-server-2')} ${mtlsBind('ztunnel-node-1')}`,
    ]);
    expect(section(cfg['ztunnel-node-1'], 'frontend inbound-server-1')).toContain(
      `bind 127.0.0.1:${port(ports, 'ztunnel-node-1', 'inbound-server-1')} ${mtlsBind('ztunnel-node-1')}`,
    );
    expect(section(cfg['ztunnel-node-2'], 'backend inbound-server-2-upstream')).toContain(
      'server server-2 127.0.0.1:3002',
    );
    expect(cfg['ztunnel-node-2']).not.toContain('frontend outbound');
  });

  it('istio-waypoint: ztunnel -> mTLS -> L7 waypoint -> mTLS -> destination ztunnel inbound', () => {
    const { cfg, ports } = wire('istio-waypoint');
    expect(section(cfg['ztunnel-node-1'], 'backend outbound-upstream')).toEqual([
      'mode tcp',
      'balance roundrobin',
      `server waypoint 127.0.0.1:${port(ports, 'waypoint', 'waypoint')} ${mtlsBind('ztunnel-node-1')}`,
    ]);
    expect(section(cfg.waypoint, 'frontend waypoint')).toEqual([
      'mode http',
      `bind 127.0.0.1:${port(ports, 'waypoint', 'waypoint')} ${mtlsBind('waypoint')}`,
      'option http-keep-alive',
      'default_backend waypoint-upstream',
    ]);
    expect(section(cfg.waypoint, 'backend waypoint-upstream')).toEqual(
      expect.arrayContaining([
        'http-reuse always',
        `server server-1 127.0.0.1:${port(ports, 'ztunnel-node-1', 'inbound-server-1')} ${mtlsBind('waypoint')}`,
        `server server-2 127.0.0.1:${port(ports, 'ztunnel-node-2', 'inbound-server-2')} ${mtlsBind('waypoint')}`,
      ]),
    );
  });

  it('refuses to wire an mTLS mode without certificates', () => {
    expect(() => wire('istio-ambient', false)).toThrow(/no certificates/);
  });

  it('sidecars that speak HTTP/2 to each other: ALPN h2 on the server sidecar, h2 from the client sidecar', () => {
    const h2Mode: ModeDefinition = {
      ...getMode('istio-sidecar'),
      topology: { sidecar: { layer: 'l7', mtls: true, between: 'h2' } },
    };
    const plan = planTopology(h2Mode, { replicas: 2, nodes: 2 });
    expect(plan.path).toEqual([
      'client',
      'haproxy:client-sidecar(l7)',
      'mTLS (h2)',
      'haproxy:server-sidecar(l7)',
      'app',
    ]);
    const ports = new Map(listenerKeys(plan).map((k, i) => [k, 20001 + i]));
    const ids = plan.proxies.map((p) => p.id);
    const wiring = wireTopology(plan, {
      listenerPorts: ports,
      appPorts: new Map([
        ['server-1', 3001],
        ['server-2', 3002],
      ]),
      statsSockets: new Map(ids.map((id) => [id, `/run/${id}.sock`])),
      threads: 1,
      timeouts: TIMEOUTS,
      tls: { caFile: '/certs/ca.pem', certFiles: new Map(ids.map((id) => [id, `/certs/${id}.pem`])) },
    });
    const cfg = Object.fromEntries(wiring.proxies.map((c) => [c.proxyId, renderHaproxyConfig(c)]));
    // The client's own hop stays HTTP/1.1 (what the app speaks); only the link between sidecars is h2.
    expect(section(cfg['client-sidecar'], 'frontend outbound')).toContain(
      `bind 127.0.0.1:${port(ports, 'client-sidecar', 'outbound')}`,
    );
    expect(section(cfg['client-sidecar'], 'backend outbound-upstream')).toContain(
      `server server-1 127.0.0.1:${port(ports, 'server-sidecar-1', 'inbound')} ${mtlsBind('client-sidecar')} alpn h2 proto h2`,
    );
    expect(section(cfg['server-sidecar-1'], 'frontend inbound')).toContain(
      `bind 127.0.0.1:${port(ports, 'server-sidecar-1', 'inbound')} ${mtlsBind('server-sidecar-1')} alpn h2`,
    );
    // The server sidecar talks to its app as the app speaks: no h2 on that server line.
    expect(section(cfg['server-sidecar-1'], 'backend inbound-upstream')).toContain(
      'server server-1 127.0.0.1:3001',
    );
    expect(wiring.target.protocol).toBe('http/1.1');
  });
});

describe('h2c and gRPC lanes', () => {
  /** Wires a mode with the h2c and gRPC lanes too: h2c apps at 4000 + replica, gRPC apps at 5000 + replica. */
  function wireLanes(mode: ModeName) {
    const plan = planTopology(getMode(mode), { replicas: 2, nodes: 2 });
    const keys = listenerKeys(plan, ['h2c', 'grpc']);
    const ports = new Map(keys.map((k, i) => [k, 20001 + i]));
    const ids = plan.proxies.map((p) => p.id);
    const pods = (base: number) =>
      new Map([
        ['server-1', base + 1],
        ['server-2', base + 2],
      ]);
    const wiring = wireTopology(plan, {
      listenerPorts: ports,
      appPorts: pods(3000),
      lanes: [
        { protocol: 'h2c', appPorts: pods(4000) },
        { protocol: 'grpc', appPorts: pods(5000) },
      ],
      statsSockets: new Map(ids.map((id) => [id, `/run/${id}.sock`])),
      threads: 1,
      timeouts: TIMEOUTS,
      tls: { caFile: '/certs/ca.pem', certFiles: new Map(ids.map((id) => [id, `/certs/${id}.pem`])) },
    });
    const cfg = Object.fromEntries(wiring.proxies.map((c) => [c.proxyId, renderHaproxyConfig(c)]));
    return { plan, ports, wiring, cfg, keys };
  }

  it('HTTP/1.1 listeners keep their names and ports; each lane adds its own, so HTTP/1.1-only specs are unchanged', () => {
    const { plan, keys } = wireLanes('istio-sidecar');
    expect(keys.slice(0, listenerKeys(plan).length)).toEqual(listenerKeys(plan));
    expect(keys).toContain(listenerKey('client-sidecar', 'outbound-h2c'));
    expect(keys).toContain(listenerKey('server-sidecar-2', 'inbound-grpc'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('baseline: each protocol goes straight to its own app port', () => {
    const { wiring } = wireLanes('baseline');
    expect(wiring.targets).toEqual({
      'http/1.1': { endpoints: ['http://127.0.0.1:3001', 'http://127.0.0.1:3002'], protocol: 'http/1.1' },
      h2c: { endpoints: ['http://127.0.0.1:4001', 'http://127.0.0.1:4002'], protocol: 'h2c' },
      grpc: { endpoints: ['http://127.0.0.1:5001', 'http://127.0.0.1:5002'], protocol: 'grpc' },
    });
  });

  it('sidecars speak HTTP/2 on every side of a gRPC lane: clear from the client, mTLS between, clear to the app', () => {
    const { cfg, ports, wiring } = wireLanes('istio-sidecar');
    const outbound = port(ports, 'client-sidecar', 'outbound-grpc');
    expect(wiring.targets.grpc).toEqual({ endpoints: [`http://127.0.0.1:${outbound}`], protocol: 'grpc' });
    expect(section(cfg['client-sidecar'], 'frontend outbound-grpc')).toContain(
      `bind 127.0.0.1:${outbound} proto h2`,
    );
    const inbound = port(ports, 'server-sidecar-1', 'inbound-grpc');
    expect(section(cfg['client-sidecar'], 'backend outbound-grpc-upstream')).toContain(
      `server server-1 127.0.0.1:${inbound} ${mtlsBind('client-sidecar')} alpn h2 proto h2`,
    );
    expect(section(cfg['server-sidecar-1'], 'frontend inbound-grpc')).toContain(
      `bind 127.0.0.1:${inbound} ${mtlsBind('server-sidecar-1')} alpn h2 proto h2`,
    );
    expect(section(cfg['server-sidecar-1'], 'backend inbound-grpc-upstream')).toContain(
      'server server-1 127.0.0.1:5001 proto h2',
    );
    // The HTTP/1.1 lane is untouched: no HTTP/2 to its app.
    expect(section(cfg['server-sidecar-1'], 'backend inbound-upstream')).toContain(
      'server server-1 127.0.0.1:3001',
    );
  });

  it('ambient with a waypoint: ztunnels pass the bytes (tcp), the waypoint speaks HTTP/2 both ways', () => {
    const { cfg, ports } = wireLanes('istio-waypoint');
    const out = section(cfg['ztunnel-node-1'], 'frontend outbound-h2c');
    expect(out).toContain('mode tcp');
    expect(out.join('\n')).not.toMatch(/proto h2|alpn/);
    const wp = port(ports, 'waypoint', 'waypoint-h2c');
    expect(section(cfg.waypoint, 'frontend waypoint-h2c')).toContain(
      `bind 127.0.0.1:${wp} ${mtlsBind('waypoint')} alpn h2 proto h2`,
    );
    const zin = port(ports, 'ztunnel-node-2', 'inbound-server-2-h2c');
    expect(section(cfg.waypoint, 'backend waypoint-h2c-upstream')).toContain(
      `server server-2 127.0.0.1:${zin} ${mtlsBind('waypoint')} alpn h2 proto h2`,
    );
    expect(section(cfg['ztunnel-node-2'], 'backend inbound-server-2-h2c-upstream')).toContain(
      'server server-2 127.0.0.1:4002',
    );
  });
});
