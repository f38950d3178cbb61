import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { writeJsonAtomic } from '../../src/files/write-json.js';
import { inventoryFromCluster } from '../../src/platforms/kubernetes/inventory-from-cluster.js';
import { sizingInputs } from '../../src/size/inputs.js';
import { sizeInventory } from '../../src/size/size-inventory.js';
import type { SizingReport } from '../../src/size/types.js';
import { runCli } from '../helpers/cli.js';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.js';
import { linearLoadResults } from '../helpers/size-fixtures.js';

/**
 * `size --from-cluster` against the in-process fake API server (test/helpers/fake-apiserver.ts): real REST
 * paths and object shapes, its Deployment controller making pods, and App Mesh's webhook injecting the
 * `envoy` container (10m / 32Mi requests, as the controller's defaults) into pods of enrolled namespaces.
 */
const NODES = [
  { name: 'ip-10-0-1-10', instanceType: 'm5.large' },
  { name: 'ip-10-0-2-20', instanceType: 'm5.large' },
  { name: 'ip-10-0-3-30', instanceType: 'c5.xlarge' },
];

function deployment(namespace: string, name: string, replicas: number, containers: object[]) {
  const labels = { app: name };
  return {
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
    },
  };
}

const RPS = `shop/cart: { peakRpsPerPod: 300, avgRpsPerPod: 100 }
legacy/billing: { peakRpsPerPod: 80, avgRpsPerPod: 30 }
legacy/batch: { peakRpsPerPod: 10, avgRpsPerPod: 5 }
`;
const RPS_ENTRIES = [
  { namespace: 'shop', name: 'cart', peakRpsPerPod: 300, avgRpsPerPod: 100, origin: 'shop/cart (line 1)' },
  {
    namespace: 'legacy',
    name: 'billing',
    peakRpsPerPod: 80,
    avgRpsPerPod: 30,
    origin: 'legacy/billing (line 2)',
  },
  { namespace: 'legacy', name: 'batch', peakRpsPerPod: 10, avgRpsPerPod: 5, origin: 'legacy/batch (line 3)' },
];

describe('size --from-cluster', () => {
  let fake: FakeApiServer;
  let dir: string;

  beforeEach(async () => {
    fake = await startFakeApiServer({ nodes: NODES, meshes: [{ mode: 'appmesh', version: 'v1.13.1' }] });
    dir = await mkdtemp(join(tmpdir(), 'meshbench-size-k8s-'));
    fake.seed({
      apiVersion: 'appmesh.k8s.aws/v1beta2',
      kind: 'Mesh',
      metadata: { name: 'prod' },
      spec: { namespaceSelector: { matchLabels: { mesh: 'prod' } } },
    });
    fake.seed({
      kind: 'Namespace',
      metadata: {
        name: 'shop',
        labels: { 'appmesh.k8s.aws/sidecarInjectorWebhook': 'enabled', mesh: 'prod' },
      },
      status: { phase: 'Active' },
    });
    fake.seed({ kind: 'Namespace', metadata: { name: 'legacy', labels: {} }, status: { phase: 'Active' } });
    fake.seed(deployment('shop', 'cart', 3, [{ name: 'app', image: 'cart:1' }]));
    // An Envoy with its own resources (set by App Mesh annotations in real life), in a namespace without injection.
    fake.seed(
      deployment('legacy', 'billing', 2, [
        { name: 'app', image: 'billing:1' },
        {
          name: 'envoy',
          image: 'aws-appmesh-envoy:v1.29.6.0-prod',
          resources: { requests: { cpu: '150m', memory: '96Mi' }, limits: { cpu: '300m', memory: '192Mi' } },
        },
      ]),
    );
    fake.seed(deployment('legacy', 'batch', 1, [{ name: 'app', image: 'batch:1' }]));
    fake.seed(deployment('legacy', 'ignored', 1, [{ name: 'app', image: 'x:1' }]));
  });
  afterEach(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Pods per node of each listed Deployment, from the fake's own store: the placement the reader must find. */
  function podsPerNode(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>(NODES.map((n) => [n.name, new Map()]));
    for (const p of fake.list('Pod')) {
      const owner = p.metadata.ownerReferences?.[0]?.name as string | undefined;
      const key = `${p.metadata.namespace}/${owner}`;
      if (!RPS_ENTRIES.some((e) => `${e.namespace}/${e.name}` === key)) continue;
      const m = out.get(p.spec.nodeName)!;
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    return out;
  }

  it("reads replicas, today's Envoy resources and the nodes pods run on", async () => {
    const inv = await inventoryFromCluster(fake.kubeConfig, RPS_ENTRIES);
    expect(inv.source).toBe('cluster fake');
    expect(inv.placement).toBe('observed');
    const byName = Object.fromEntries(inv.services.map((s) => [s.name, s]));
    expect(byName.cart?.replicas).toBe(3);
    expect(byName.cart?.envoy).toEqual({
      source: 'cluster',
      requests: { cpuMillicores: 10, memMiB: 32 },
      limits: {},
      assumed: [],
    });
    expect(byName.billing?.envoy).toEqual({
      source: 'cluster',
      requests: { cpuMillicores: 150, memMiB: 96 },
      limits: { cpuMillicores: 300, memMiB: 192 },
      assumed: [],
    });
    expect(byName.batch?.envoy.source).toBe('none');
    // Every node counts (a node proxy runs on each), with its instance type label.
    expect(inv.nodes.map((n) => [n.name, n.instanceType])).toEqual(
      NODES.map((n) => [n.name, n.instanceType]),
    );
    expect(inv.pools).toEqual([
      { instanceType: 'm5.large', nodes: 2 },
      { instanceType: 'c5.xlarge', nodes: 1 },
    ]);
    const expected = podsPerNode();
    for (const n of inv.nodes) {
      expect(Object.fromEntries(n.pods.map((p) => [p.service, p.count])), n.name).toEqual(
        Object.fromEntries(expected.get(n.name) ?? []),
      );
    }
    expect(inv.notes.some((n) => /other Deployments? in the cluster not in the RPS file/.test(n))).toBe(true);
    // Only list calls, on the real REST paths.
    const paths = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(['GET /apis/apps/v1/deployments', 'GET /api/v1/pods', 'GET /api/v1/nodes']),
    );
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('sizes what it read: node proxies for the busiest node, today from the pods', async () => {
    const inv = await inventoryFromCluster(fake.kubeConfig, RPS_ENTRIES);
    const inputs = sizingInputs([
      { path: 'r.json', results: linearLoadResults({ modes: ['baseline', 'istio-ambient'] }) },
    ]);
    const r = sizeInventory({
      inventory: inv,
      models: inputs.models,
      modes: ['istio-ambient'],
      settings: inputs.settings,
      prices: inputs.prices,
      results: inputs.sources,
    });
    const peak = { 'shop/cart': 300, 'legacy/billing': 80, 'legacy/batch': 10 } as Record<string, number>;
    const nodePeaks = [...podsPerNode().values()].map((m) =>
      [...m].reduce((t, [k, c]) => t + c * (peak[k] ?? 0), 0),
    );
    const z = r.modes[0]?.rows[0];
    expect(z?.instances).toBe(3);
    expect(z?.peakRps).toBe(Math.max(...nodePeaks));
    // Today: cart 3 x 10m/32Mi + billing 2 x 150m/96Mi; batch has no Envoy.
    expect(r.today.reserved).toEqual({ cpuMillicores: 330, memMiB: 288 });
    expect(r.today.proxies).toBe(5);
    expect(r.today.notInMesh).toEqual(['legacy/batch']);
  });

  it('names RPS entries the cluster does not have', async () => {
    let err: unknown;
    try {
      await inventoryFromCluster(fake.kubeConfig, [
        ...RPS_ENTRIES,
        {
          namespace: 'shop',
          name: 'payments',
          peakRpsPerPod: 1,
          avgRpsPerPod: 1,
          origin: 'shop/payments (line 4)',
        },
      ]);
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    expect((err as { problems: string[] }).problems).toEqual([
      'shop/payments (line 4): no Deployment payments in namespace shop',
    ]);
  });

  it('runs end to end from the kubeconfig in KUBECONFIG', async () => {
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster: { server: "${fake.url}", insecure-skip-tls-verify: true }\nusers:\n- name: tester\n  user: { token: fake-token }\ncontexts:\n- name: fake\n  context: { cluster: fake, user: tester }\ncurrent-context: fake\n`,
    );
    const rps = join(dir, 'rps.yaml');
    await writeFile(rps, RPS);
    const results = join(dir, 'results.json');
    await writeJsonAtomic(
      results,
      linearLoadResults({ modes: ['baseline', 'istio-sidecar', 'istio-ambient'] }),
    );
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    try {
      const ok = await runCli([
        'size',
        '--from-cluster',
        '--rps',
        rps,
        '--results',
        results,
        '--out',
        join(dir, 'out'),
        '--no-html',
      ]);
      expect(ok.err).toEqual([]);
      expect(ok.code).toBe(0);
      expect(ok.out.join('\n')).toContain('# Proxy sizing: cluster fake');
      const json = JSON.parse(await readFile(join(dir, 'out', 'sizing.json'), 'utf8')) as SizingReport;
      expect(json.inventory).toMatchObject({ placement: 'observed', services: 3, pods: 6, nodes: 3 });

      fake.setUnreachable(true);
      const down = await runCli([
        'size',
        '--from-cluster',
        '--rps',
        rps,
        '--results',
        results,
        '--out',
        join(dir, 'never'),
      ]);
      expect(down.code).toBe(2);
      expect(down.err[0]).toMatch(/^error: cannot list deployments in the cluster: /);
      expect(existsSync(join(dir, 'never'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
});
