import { describe, expect, it } from 'vitest';
import type { ModeDefinition, ModeName } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import { planTopology } from '../../src/platforms/local/topology-plan.js';

const plan = (name: ModeName, replicas = 2, nodes = 2) => planTopology(getMode(name), { replicas, nodes });

describe('planTopology', () => {
  it('puts the client on node-1 and spreads server replicas round-robin over the nodes', () => {
    const p = plan('baseline', 5, 2);
    expect(p.pods).toEqual([
      { name: 'client', role: 'client', node: 'node-1' },
      { name: 'server-1', role: 'server', node: 'node-1' },
      { name: 'server-2', role: 'server', node: 'node-2' },
      { name: 'server-3', role: 'server', node: 'node-1' },
      { name: 'server-4', role: 'server', node: 'node-2' },
      { name: 'server-5', role: 'server', node: 'node-1' },
    ]);
    expect(p.proxies).toEqual([]);
    expect(p.path).toEqual(['client', 'app']);
  });

  it.each([
    [
      'appmesh',
      ['client-sidecar', 'server-sidecar-1', 'server-sidecar-2'],
      ['client', 'haproxy:client-sidecar(l7)', 'haproxy:server-sidecar(l7)', 'app'],
    ],
    [
      'istio-sidecar',
      ['client-sidecar', 'server-sidecar-1', 'server-sidecar-2'],
      ['client', 'haproxy:client-sidecar(l7)', 'mTLS', 'haproxy:server-sidecar(l7)', 'app'],
    ],
    [
      'linkerd',
      ['client-sidecar', 'server-sidecar-1', 'server-sidecar-2'],
      ['client', 'haproxy:client-sidecar(l7)', 'mTLS (h2)', 'haproxy:server-sidecar(l7)', 'app'],
    ],
    [
      'istio-ambient',
      ['ztunnel-node-1', 'ztunnel-node-2'],
      ['client', 'haproxy:ztunnel-outbound(l4)', 'mTLS', 'haproxy:ztunnel-inbound(l4)', 'app'],
    ],
    [
      'istio-waypoint',
      ['ztunnel-node-1', 'ztunnel-node-2', 'waypoint'],
      [
        'client',
        'haproxy:ztunnel-outbound(l4)',
        'mTLS',
        'haproxy:waypoint(l7)',
        'mTLS',
        'haproxy:ztunnel-inbound(l4)',
        'app',
      ],
    ],
  ] as const)('%s: proxies %j and path', (mode, ids, path) => {
    const p = plan(mode);
    expect(p.proxies.map((x) => x.id)).toEqual(ids);
    expect(p.path).toEqual(path);
  });

  it('charges sidecars to pods, ztunnels to nodes and the waypoint to the namespace, on the last node', () => {
    const p = plan('istio-waypoint', 2, 3);
    expect(p.proxies).toEqual([
      { id: 'ztunnel-node-1', role: 'node-proxy', scope: 'node', node: 'node-1' },
      { id: 'ztunnel-node-2', role: 'node-proxy', scope: 'node', node: 'node-2' },
      { id: 'waypoint', role: 'waypoint', scope: 'namespace', node: 'node-3' },
    ]);
    // node-3 hosts no pod, so it gets no ztunnel, but it is one of the mode's nodes (the waypoint runs there).
    expect(p.nodes).toEqual(['node-1', 'node-2', 'node-3']);
    const s = plan('istio-sidecar', 3, 2);
    expect(s.proxies.find((x) => x.id === 'server-sidecar-3')).toEqual({
      id: 'server-sidecar-3',
      role: 'server-sidecar',
      scope: 'pod',
      node: 'node-1',
      pod: 'server-3',
    });
  });

  it('ambient: a same-node server is still reached through its ztunnel inbound', () => {
    const p = plan('istio-ambient');
    expect(p.podHops.get('server-1')).toEqual([
      {
        kind: 'node-inbound',
        proxyId: 'ztunnel-node-1',
        listener: 'inbound-server-1',
        mode: 'tcp',
        mtls: true,
      },
    ]);
    expect(p.sharedHops).toEqual([
      { kind: 'node-outbound', proxyId: 'ztunnel-node-1', listener: 'outbound', mode: 'tcp', mtls: false },
    ]);
  });

  it('derives a future mode (L4 sidecars with mTLS) from its topology alone', () => {
    const future: ModeDefinition = {
      ...getMode('istio-sidecar'),
      name: 'linkerd' as ModeName,
      topology: { sidecar: { layer: 'l4', mtls: true } },
    };
    const p = planTopology(future, { replicas: 1, nodes: 1 });
    expect(p.path).toEqual([
      'client',
      'haproxy:client-sidecar(l4)',
      'mTLS',
      'haproxy:server-sidecar(l4)',
      'app',
    ]);
    expect(p.podHops.get('server-1')?.[0]).toMatchObject({ mode: 'tcp', mtls: true });
  });

  it('rejects a waypoint without node proxies', () => {
    const bad: ModeDefinition = { ...getMode('istio-waypoint'), topology: { waypoint: { mtls: true } } };
    expect(() => planTopology(bad, { replicas: 1, nodes: 1 })).toThrow(/waypoint requires nodeProxy/);
  });
});
