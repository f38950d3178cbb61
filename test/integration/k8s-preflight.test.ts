import { afterEach, describe, expect, it } from 'vitest';
import { MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import {
  assertPreflight,
  kubernetesPreflight,
  type PreflightCheck,
} from '../../src/platforms/kubernetes/preflight.js';
import { cleanupKubernetes } from '../../src/platforms/kubernetes/teardown.js';
import {
  DEFAULT_KUBERNETES_SETTINGS,
  type KubernetesSettings,
} from '../../src/platforms/kubernetes/settings.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import {
  everyMesh,
  startFakeApiServer,
  type FakeApiServer,
  type FakeOptions,
} from '../helpers/fake-apiserver.js';
import { KubeConfig } from '@kubernetes/client-node';
import { createServer } from 'node:net';

let fake: FakeApiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function preflight(
  o: FakeOptions,
  modes: ModeName[],
  settings: Partial<KubernetesSettings> = {},
): Promise<PreflightCheck[]> {
  fake = await startFakeApiServer(o);
  return kubernetesPreflight({
    spec: { ...DEFAULT_SPEC, platform: 'kubernetes', modes },
    settings: { ...DEFAULT_KUBERNETES_SETTINGS, ...settings },
    kubeConfig: fake.kubeConfig,
  });
}
const failed = (c: PreflightCheck[]) => c.filter((x) => !x.ok).map((x) => x.check);

describe('kubernetes preflight', () => {
  it('passes on a cluster with everything installed, and names what it found', async () => {
    const checks = await preflight(
      { meshes: everyMesh({ appmesh: 'v1.13.1' }, '1.26.0'), metricsServer: true },
      [...MODE_NAMES],
    );
    expect(failed(checks)).toEqual([]);
    expect(checks.find((c) => c.check === 'API server reachable')?.detail).toBe(
      'Kubernetes v1.31.2 (context fake)',
    );
    expect(checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        'permissions',
        'istio-ambient: ztunnel (ambient node proxy)',
        'istio-waypoint: CRD gateways.gateway.networking.k8s.io',
        'appmesh: appmesh-controller',
        'kuma: kuma-control-plane (Kuma control plane)',
        'linkerd: linkerd-identity (Linkerd control plane: mTLS certificates)',
        'linkerd: linkerd-destination (Linkerd control plane: service discovery, policy)',
        'metrics source: metrics.k8s.io',
      ]),
    );
    expect(() => assertPreflight(checks)).not.toThrow();
    // It asked the API server about each permission, and created nothing.
    expect(fake!.requests.filter((r) => r.path.endsWith('selfsubjectaccessreviews')).length).toBeGreaterThan(
      20,
    );
    expect(fake!.requests.filter((r) => r.method === 'PATCH' || r.method === 'DELETE')).toEqual([]);
  });

  it('lists every missing piece with its fix', async () => {
    // Istio without ambient: istiod and its CRDs, no ztunnel, no istio-cni, no Gateway API.
    const checks = await preflight({ meshes: [{ mode: 'istio-sidecar', version: '1.26.0' }] }, [
      'baseline',
      'istio-sidecar',
      'istio-waypoint',
      'appmesh',
    ]);
    expect(failed(checks)).toEqual([
      'istio-waypoint: CRD gateways.gateway.networking.k8s.io',
      'istio-waypoint: ztunnel (ambient node proxy)',
      'istio-waypoint: istio-cni (ambient traffic redirection)',
      'appmesh: CRD meshes.appmesh.k8s.aws',
      'appmesh: CRD virtualnodes.appmesh.k8s.aws',
      'appmesh: CRD virtualservices.appmesh.k8s.aws',
      'appmesh: appmesh-controller',
      'metrics source: metrics.k8s.io',
    ]);
    for (const c of checks.filter((x) => !x.ok)) expect(c.fix.length).toBeGreaterThan(10);
    let thrown: { message: string; problems: string[] } | undefined;
    try {
      assertPreflight(checks);
    } catch (e) {
      thrown = e as { message: string; problems: string[] };
    }
    expect(thrown?.message).toBe('Kubernetes preflight failed: 8 problems; nothing was created');
    expect(thrown?.problems[0]).toMatch(
      /gateways\.gateway\.networking\.k8s\.io: not installed\n    fix: install the Gateway API CRDs/,
    );
  });

  it('checks the Istio revision the spec names (AKS add-on asm-X-Y)', async () => {
    const ok = await preflight(
      { meshes: [{ mode: 'istio-sidecar', version: '1.26.2', revision: 'asm-1-26' }], metricsServer: true },
      ['istio-sidecar'],
      { istioRevision: 'asm-1-26' },
    );
    expect(failed(ok)).toEqual([]);
    await fake!.close();
    const wrong = await preflight(
      { meshes: [{ mode: 'istio-sidecar', version: '1.26.2', revision: 'asm-1-25' }], metricsServer: true },
      ['istio-sidecar'],
      { istioRevision: 'asm-1-26' },
    );
    const istiod = wrong.find((c) => c.check === 'istio-sidecar: istiod (Istio control plane)');
    expect(istiod?.ok).toBe(false);
    expect(istiod?.detail).toBe(
      'no istiod (Istio control plane) of revision asm-1-26 (found revisions: asm-1-25)',
    );
  });

  it('stops at an unreachable API server', async () => {
    // A port that refuses connections: bind, note it, close.
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const checks = await kubernetesPreflight({
      spec: { ...DEFAULT_SPEC, platform: 'kubernetes' },
      settings: DEFAULT_KUBERNETES_SETTINGS,
      kubeConfig: kc,
    });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ check: 'API server reachable', ok: false });
    expect(checks[0]?.detail).toMatch(/ECONNREFUSED/);
  });
});

const APP_MESH = { apiVersion: 'appmesh.k8s.aws/v1beta2', kind: 'Mesh' };

describe('cleanup', () => {
  it('lists, then deletes, only objects labelled as meshbench runs', async () => {
    fake = await startFakeApiServer({ meshes: [{ mode: 'appmesh', version: 'v1.13.1' }] });
    const labels = (run: string) => ({
      'app.kubernetes.io/managed-by': 'meshbench',
      'meshbench.io/run': run,
    });
    fake.seed({
      kind: 'Namespace',
      metadata: { name: 'meshbench-aaaa-baseline', labels: labels('run-a') },
      status: { phase: 'Active' },
    });
    fake.seed({
      kind: 'Namespace',
      metadata: { name: 'meshbench-bbbb-appmesh', labels: labels('run-b') },
      status: { phase: 'Active' },
    });
    fake.seed({ ...APP_MESH, metadata: { name: 'meshbench-bbbb', labels: labels('run-b') }, spec: {} });
    fake.seed({
      kind: 'Namespace',
      metadata: { name: 'someone-elses', labels: { 'meshbench.io/run': 'run-a' } },
      status: { phase: 'Active' },
    });
    fake.seed({ ...APP_MESH, metadata: { name: 'production', labels: {} }, spec: {} });

    const listed = await cleanupKubernetes({
      runId: 'run-b',
      dryRun: true,
      kubeConfig: fake.kubeConfig,
      intervalMs: 10,
    });
    expect(listed.objects).toEqual(['Namespace meshbench-bbbb-appmesh', 'Mesh meshbench-bbbb']);
    expect(fake.get('Namespace', undefined, 'meshbench-bbbb-appmesh')).toBeDefined();

    await cleanupKubernetes({ runId: 'run-b', dryRun: false, kubeConfig: fake.kubeConfig, intervalMs: 10 });
    expect(fake.get('Namespace', undefined, 'meshbench-bbbb-appmesh')).toBeUndefined();
    expect(fake.get(`${APP_MESH.apiVersion} Mesh`, undefined, 'meshbench-bbbb')).toBeUndefined();
    expect(fake.get('Namespace', undefined, 'meshbench-aaaa-baseline')).toBeDefined();

    const all = await cleanupKubernetes({ dryRun: false, kubeConfig: fake.kubeConfig, intervalMs: 10 });
    expect(all.objects).toEqual(['Namespace meshbench-aaaa-baseline']);
    expect(fake.get('Namespace', undefined, 'someone-elses')).toBeDefined();
    expect(fake.get(`${APP_MESH.apiVersion} Mesh`, undefined, 'production')).toBeDefined();
  });
});
