import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadHooks } from '../../src/engines/engine.js';
import { ingestK6Output } from '../../src/engines/k6/ingest.js';
import { MODE_NAMES, type ModeDefinition, type ModeName } from '../../src/modes/mode.js';
import { getMode, modes, type ModeRegistry } from '../../src/modes/registry.js';
import {
  createKubernetesPlatform,
  type KubernetesPlatform,
} from '../../src/platforms/kubernetes/platform.js';
import {
  DEFAULT_KUBERNETES_SETTINGS,
  type KubernetesSettings,
} from '../../src/platforms/kubernetes/settings.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import type { ResolvedSpec, Tier } from '../../src/spec/schema.js';
import { decodeHistogram, percentileMicros } from '../../src/stats/histogram.js';
import {
  everyMesh,
  startFakeApiServer,
  type FakeApiServer,
  type FakeOptions,
} from '../helpers/fake-apiserver.js';
import { evenSample, k6CsvSample } from '../helpers/k6-csv-sample.js';
import { podLogFromFixture } from '../helpers/k6-pod-log.js';

// The fake's k6 "runs" 100 ms; the measure window only times the sampler hooks (closed when k6 ends). Phases of
// 1 s, the shortest a k6 scenario may have: k6Env refuses anything shorter before a Job is created.
const tier: Tier = {
  name: 'low',
  rps: 200,
  durationSec: 1,
  warmupSec: 1,
  connections: 4,
  payloadBytes: 256,
  protocol: 'http/1.1',
  maxInFlight: 50,
  timeoutMs: 5000,
};
const RUN_ID = '20261121-231500-k8s-test-ab12';
const FULL_CLUSTER: FakeOptions = {
  meshes: everyMesh({
    'istio-sidecar': '1.26.0',
    'istio-ambient': '1.26.0',
    'istio-waypoint': '1.26.0',
    appmesh: 'v1.13.1',
    kuma: '2.12.3',
  }),
  metricsServer: true,
};

/** Every registered mode's proxy container: the fake reports 12m for those, 3m for apps. */
const SIDECARS = new Set([...modes.values()].flatMap((m) => m.kubernetes.sidecarContainers));

let k6Log = '';
/** The k6 output behind every load pod's log: the project's own k6-format sample, so this runs without shared/. */
let k6Csv = '';
let sampleDir = '';
let fake: FakeApiServer | undefined;
let platform: KubernetesPlatform | undefined;

beforeAll(() => {
  // What a real load pod prints: the wrapper and reducer run over a k6 output.
  sampleDir = mkdtempSync(join(tmpdir(), 'meshbench-k8s-platform-'));
  k6Csv = join(sampleDir, 'out.csv');
  writeFileSync(k6Csv, k6CsvSample(evenSample({ warmup: 200, measure: 1000, minMs: 0.25, maxMs: 4 })));
  k6Log = podLogFromFixture(k6Csv).log;
});
afterAll(() => rmSync(sampleDir, { recursive: true, force: true }));

afterEach(async () => {
  try {
    fake?.setUnreachable(false);
    await platform?.down().catch(() => undefined);
  } finally {
    await fake?.close();
    fake = undefined;
    platform = undefined;
  }
});

function specFor(modes: ModeName[]): ResolvedSpec {
  return {
    ...DEFAULT_SPEC,
    platform: 'kubernetes',
    modes,
    tiers: [tier],
    repetitions: 1,
    app: { replicas: 2, delayMs: 0 },
  };
}

async function start(o: FakeOptions, modes: ModeName[], settings: Partial<KubernetesSettings> = {}) {
  fake = await startFakeApiServer({ k6: () => ({ log: k6Log, exitCode: 0 }), ...o });
  const s = { ...DEFAULT_KUBERNETES_SETTINGS, readyTimeoutSec: 2, ...settings };
  platform = await createKubernetesPlatform({
    runId: RUN_ID,
    spec: specFor(modes),
    settings: s,
    kubeConfig: fake.kubeConfig,
    pollIntervalMs: 10,
    sampleIntervalMs: 10,
  });
  return { fake, platform };
}

const hooks = (extra: Partial<LoadHooks> = {}): LoadHooks => ({
  tags: { mode: 'x', tier: tier.name, rep: '1' },
  ...extra,
});
const runLabelled = (f: FakeApiServer) =>
  ['Namespace', 'appmesh.k8s.aws/v1beta2 Mesh', 'kuma.io/v1alpha1 Mesh', 'MeshIdentity']
    .flatMap((k) => f.list(k))
    .filter((o) => o.metadata.labels?.['meshbench.io/run'] === RUN_ID);

describe('kubernetes platform against a fake API server', () => {
  it('brings every mode up, enrolled, runs a load Job per cell, samples, and removes everything', async () => {
    let loadOn = false;
    const { fake, platform } = await start(
      {
        ...FULL_CLUSTER,
        metricsResolutionMs: 30,
        // ztunnel uses 30m/40Mi idle and 80m/60Mi under load: the sampler must report the 50m/20Mi difference.
        usage: (pod, c) =>
          pod.metadata.name.startsWith('ztunnel')
            ? { cpuMillicores: loadOn ? 80 : 30, memMiB: loadOn ? 60 : 40 }
            : SIDECARS.has(c)
              ? { cpuMillicores: 12, memMiB: 50 }
              : { cpuMillicores: 3, memMiB: 10 },
      },
      [...MODE_NAMES],
    );
    expect(platform.canHoldAllModes(MODE_NAMES.map((m) => getMode(m)))).toEqual({ ok: true });
    expect(platform.environment()).toMatchObject({
      serverVersion: 'v1.31.2',
      context: 'fake',
      nodeTypes: ['m5.large'],
      meshVersions: {
        istio: '1.26.0',
        ztunnel: '1.26.0',
        'appmesh-controller': 'v1.13.1',
        kuma: '2.12.3',
      },
    });
    const local = await ingestK6Output(k6Csv, { timeoutMs: tier.timeoutMs });

    for (const m of MODE_NAMES) {
      const mode = getMode(m);
      const dep = await platform.up(mode);
      const roles = dep.proxies.map((p) => p.info.role).sort();
      if (m === 'baseline' || m === 'istio-ambient')
        expect(roles.filter((r) => r !== 'node-proxy')).toEqual([]);
      if (mode.topology.sidecar) expect(roles).toEqual(['server-sidecar', 'server-sidecar']);
      if (m === 'istio-waypoint') expect(roles).toContain('waypoint');
      if (m === 'kuma') {
        // The run's Mesh, its MeshIdentity in kuma-system and the MeshTrafficPermission, all labelled.
        expect(fake.list('kuma.io/v1alpha1 Mesh')).toHaveLength(1);
        expect(fake.list('MeshIdentity', 'kuma-system')).toHaveLength(1);
        expect(fake.list('MeshTrafficPermission')).toHaveLength(1);
        expect(dep.proxies.map((p) => p.locator)).toEqual([
          expect.objectContaining({ container: 'kuma-sidecar' }),
          expect.objectContaining({ container: 'kuma-sidecar' }),
        ]);
        expect(dep.proxies[0]?.info.implementation).toBe('envoy (kuma-dp) 2.12.3');
      }
      if (m === 'linkerd') {
        // Enrolled by the namespace annotation alone: no Linkerd object exists.
        expect(
          fake.list('Namespace').find((n) => n.metadata.labels?.['meshbench.io/mode'] === 'linkerd')?.metadata
            .annotations,
        ).toEqual({ 'linkerd.io/inject': 'enabled' });
        expect(dep.proxies.map((p) => p.locator)).toEqual([
          expect.objectContaining({ container: 'linkerd-proxy' }),
          expect.objectContaining({ container: 'linkerd-proxy' }),
        ]);
        expect(dep.topology.path).toContain('mTLS (h2)');
      }
      if (m === 'istio-ambient' || m === 'istio-waypoint') expect(roles).toContain('node-proxy');
      expect(dep.target.endpoints[0]).toMatch(
        new RegExp(`^http://server\\.meshbench-[0-9a-f]{8}-${m}\\.svc\\.cluster\\.local:8080/echo$`),
      );

      let opened = 0;
      let closed = 0;
      const sampler = platform.sampler(dep);
      const before = platform.topology(dep);
      loadOn = true;
      const latency = await platform.load(
        dep,
        tier,
        hooks({
          tags: { mode: m, tier: tier.name, rep: '1' },
          onMeasureStart: () => (opened++, sampler.start()),
          onMeasureEnd: () => closed++,
        }),
      );
      // Long enough for several metrics-server periods (30 ms here) to pass, also on a loaded machine.
      await new Promise((r) => setTimeout(r, 150));
      const samples = await sampler.stop();
      loadOn = false;
      expect([opened, closed]).toEqual([1, 1]);
      // The cell's figures are the recorded k6 output's, exactly.
      expect(latency.requests).toBe(local.requests);
      expect(latency.ok).toBe(local.ok);
      expect(decodeHistogram(latency.histogram).totalCount).toBe(local.histogram.totalCount);
      expect(
        percentileMicros(decodeHistogram(latency.histogram), 99) / percentileMicros(local.histogram, 99),
      ).toBeCloseTo(1, 2);
      // What k6 had to work with: 200 RPS x 100 ms = 20 VUs pre-allocated, maxInFlight 50.
      expect(latency.k6).toMatchObject({ preAllocatedVUs: 20, maxVUs: 50 });
      // Load pods are clients: in sidecar modes their proxy joins the sampled proxies.
      const roleNow = dep.proxies.map((p) => p.info.role);
      expect(roleNow.includes('client-sidecar')).toBe(mode.topology.sidecar !== undefined);
      // The runner records snapshots: the one taken at up() is not changed behind its back by the load pods.
      expect(before.pods.some((p) => p.role === 'client')).toBe(false);
      expect(platform.topology(dep).pods.some((p) => p.role === 'client')).toBe(true);
      for (const p of dep.proxies)
        if (p.info.role.endsWith('sidecar')) expect(p.info.requests?.cpuMillicores).toBeGreaterThan(0);
      // Repeated metrics-server timestamps are dropped; node proxies are charged above their idle reading.
      for (const s of samples) {
        const ts = s.points.map((p) => p.tMs);
        expect(new Set(ts).size).toBe(ts.length);
        const info = dep.proxies.find((p) => p.info.id === s.proxyId)!.info;
        for (const pt of s.points) {
          if (info.role === 'node-proxy') expect([pt.cpuMillicores, pt.memMiB]).toEqual([50, 20]);
          else expect(pt.cpuMillicores).toBeCloseTo(12, 6);
        }
      }
      if (m !== 'baseline') expect(samples.some((s) => s.points.length > 0)).toBe(true);
      if (m === 'istio-ambient' || m === 'istio-waypoint')
        expect(
          samples.filter((s) => s.proxyId.startsWith('ztunnel-') && s.points.length > 0).length,
        ).toBeGreaterThan(0);
      // The Job is gone after the cell.
      expect(fake.list('Job')).toHaveLength(0);
    }

    const applies = fake.requests.filter((r) => r.method === 'PATCH');
    expect(applies.length).toBeGreaterThan(0);
    for (const r of applies) {
      expect(r.contentType).toBe('application/apply-patch+yaml');
      expect(r.query.get('fieldManager')).toBe('meshbench');
    }
    expect(
      fake.requests.some((r) => r.method === 'POST' && !r.path.includes('selfsubjectaccessreviews')),
    ).toBe(false);
    expect(fake.requests.some((r) => r.path.startsWith('/apis/metrics.k8s.io/'))).toBe(true);

    await platform.down();
    expect(runLabelled(fake)).toEqual([]);
    expect(fake.list('Pod').filter((p) => p.metadata.namespace?.startsWith('meshbench-'))).toEqual([]);
    // The mesh's own control planes are left alone.
    expect(fake.list('Deployment').filter((d) => d.metadata.labels?.app === 'istiod')).toHaveLength(1);
  });

  it('reports a pod that never becomes ready with its status and recent events', async () => {
    const { platform } = await start({ metricsServer: true, neverReady: ['server'] }, ['baseline'], {
      readyTimeoutSec: 1,
    });
    const err = await platform.up(getMode('baseline')).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      /Deployment meshbench-[0-9a-f]{8}-baseline\/server was not ready within 1 s/,
    );
    expect(err?.message).toContain('ImagePullBackOff');
    expect(err?.message).toMatch(/recent events:\n.*Failed Pod\/server-.*Failed to pull image/);
  });

  it('fails the cell when k6 fails, with its exit reason and log, and deletes the Job', async () => {
    const { fake, platform } = await start(
      {
        metricsServer: true,
        k6: () => ({ log: 'ERRO[0000] ReferenceError: x is not defined\n', exitCode: 107 }),
      },
      ['baseline'],
    );
    const dep = await platform.up(getMode('baseline'));
    await expect(platform.load(dep, tier, hooks())).rejects.toThrow(
      /exited 107 \(the script threw an exception\)\nERRO\[0000\] ReferenceError/,
    );
    expect(fake.list('Job')).toHaveLength(0);
  });

  it('judges completion by the k6 container when a classic sidecar keeps the Job pod running', async () => {
    const { fake, platform } = await start({ ...FULL_CLUSTER, stuckSidecar: true }, ['appmesh']);
    const dep = await platform.up(getMode('appmesh'));
    const latency = await platform.load(dep, tier, hooks());
    expect(latency.requests).toBeGreaterThan(0);
    expect(fake.list('Job')).toHaveLength(0);
  });

  it('refuses to start, creating nothing, when a permission is denied', async () => {
    fake = await startFakeApiServer({
      ...FULL_CLUSTER,
      allow: (a) => !(a.verb === 'create' && a.resource === 'namespaces'),
    });
    const err = await createKubernetesPlatform({
      runId: RUN_ID,
      spec: specFor(['baseline']),
      settings: DEFAULT_KUBERNETES_SETTINGS,
      kubeConfig: fake.kubeConfig,
      pollIntervalMs: 10,
    }).then(
      () => undefined,
      (e: unknown) => e as { message: string; problems: string[]; fix?: string },
    );
    expect(err?.message).toMatch(/preflight failed: 1 problem; nothing was created/);
    expect(err?.problems.join('\n')).toMatch(/permissions: denied: create namespaces/);
    expect(fake.requests.filter((r) => r.method === 'PATCH' || r.method === 'DELETE')).toEqual([]);
  });

  it('fails the cell when the API server becomes unreachable mid-run, and still cleans up once it is back', async () => {
    const { fake, platform } = await start({ metricsServer: true, k6RunMs: 300 }, ['baseline']);
    const dep = await platform.up(getMode('baseline'));
    const load = platform.load(dep, tier, hooks());
    setTimeout(() => fake.setUnreachable(true), 60);
    await expect(load).rejects.toThrow(/socket hang up|ECONNRESET|fetch failed|other side closed/i);
    await expect(platform.down()).rejects.toThrow();
    fake.setUnreachable(false);
    await platform.down();
    expect(runLabelled(fake)).toEqual([]);
  });

  it.each([
    ['an indexed Job without the k6-operator', false, 'Job'],
    ['a k6-operator TestRun', true, 'TestRun'],
  ])(
    'spreads load over several pods with %s and merges their histograms',
    async (_name, k6Operator, kind) => {
      const local = await ingestK6Output(k6Csv, { timeoutMs: tier.timeoutMs });
      const { fake, platform } = await start({ ...FULL_CLUSTER, k6Operator }, ['istio-ambient'], {
        k6Parallelism: 2,
      });
      const dep = await platform.up(getMode('istio-ambient'));
      const seenKinds = new Set<string>();
      const watcher = setInterval(() => {
        for (const k of ['Job', 'TestRun']) if (fake.list(k).length > 0) seenKinds.add(k);
      }, 5);
      try {
        const latency = await platform.load(dep, tier, hooks());
        expect([...seenKinds]).toEqual([kind]);
        // Two pods, each with the recorded output: every count doubles, percentiles stay.
        expect(latency.requests).toBe(2 * local.requests);
        const h = decodeHistogram(latency.histogram);
        expect(h.totalCount).toBe(2 * local.histogram.totalCount);
        expect(percentileMicros(h, 99) / percentileMicros(local.histogram, 99)).toBeCloseTo(1, 2);
        expect(platform.topology(dep).pods.filter((p) => p.role === 'client')).toHaveLength(2);
      } finally {
        clearInterval(watcher);
      }
      expect(fake.list(kind)).toHaveLength(0);
    },
  );

  it('stops a load on abort (Ctrl-C) and deletes its Job', async () => {
    const { fake, platform } = await start({ metricsServer: true, k6RunMs: 5000 }, ['baseline']);
    const dep = await platform.up(getMode('baseline'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('interrupted', 'AbortError')), 80);
    await expect(platform.load(dep, tier, hooks({ signal: ac.signal }))).rejects.toThrow(/interrupted/);
    expect(fake.list('Job')).toHaveLength(0);
  });

  it('runs a mesh it knows only from a mode declaration: a made-up mesh with no code of its own', async () => {
    const API = 'mesh.acme.example/v1';
    const fix = 'install acme';
    const acme: ModeDefinition = {
      name: 'acme' as ModeName,
      title: 'Acme mesh',
      description: 'a mesh that exists only in this test',
      topology: { sidecar: { layer: 'l7', mtls: true } },
      kubernetes: {
        namespaceLabels: { 'acme.example/inject': 'on' },
        optOut: { namespaceLabels: { 'acme.example/inject': 'off' } },
        sidecarContainers: ['acme-proxy'],
        injectedInitContainers: ['acme-init'],
        enrolmentAnnotations: [{ name: 'acme.example/injected', value: 'yes' }],
        meshObjects: (run) => [
          { apiVersion: API, kind: 'Mesh', metadata: { name: run.meshName, labels: run.labels }, spec: {} },
          {
            apiVersion: API,
            kind: 'Policy',
            metadata: { name: 'allow-client', namespace: run.namespace, labels: run.labels },
            spec: { from: run.clientApp },
          },
        ],
        kinds: [
          {
            apiVersion: API,
            kind: 'Mesh',
            plural: 'meshes',
            namespaced: false,
            ready: { condition: 'Ready', before: 'workloads' },
          },
          { apiVersion: API, kind: 'Policy', plural: 'policies', namespaced: true },
        ],
        sidecarImplementation: 'acme-proxy',
        sidecarImage: 'acme.example/proxy',
        requires: {
          crds: [
            { name: 'meshes.mesh.acme.example', fix },
            { name: 'policies.mesh.acme.example', fix },
          ],
          controlPlanes: [
            {
              what: 'acme control plane',
              fix,
              find: { deployment: 'app=acme-cp' },
              namespace: 'acme-system',
              version: 'acme',
              image: 'acme.example/cp',
            },
          ],
        },
      },
    };
    const registry: ModeRegistry = new Map([...modes, ['acme' as ModeName, acme]]);
    fake = await startFakeApiServer({
      registry,
      meshes: [{ mode: 'acme' as ModeName, version: '9.9.9' }],
      metricsServer: true,
      k6: () => ({ log: k6Log, exitCode: 0 }),
    });
    platform = await createKubernetesPlatform({
      runId: RUN_ID,
      spec: specFor(['baseline', 'acme' as ModeName]),
      settings: { ...DEFAULT_KUBERNETES_SETTINGS, readyTimeoutSec: 2 },
      kubeConfig: fake.kubeConfig,
      registry,
      pollIntervalMs: 10,
      sampleIntervalMs: 10,
    });
    expect(platform.environment().meshVersions).toEqual({ acme: '9.9.9' });
    const dep = await platform.up(acme);
    expect(dep.proxies.map((p) => [p.info.role, p.info.implementation])).toEqual([
      ['server-sidecar', 'acme-proxy 9.9.9'],
      ['server-sidecar', 'acme-proxy 9.9.9'],
    ]);
    expect(dep.topology.path).toEqual([
      'client',
      'acme-proxy:client-sidecar(l7)',
      'mTLS',
      'acme-proxy:server-sidecar(l7)',
      'app',
    ]);
    const mesh = fake.list(`${API} Mesh`);
    expect(mesh.map((m) => m.metadata.labels['meshbench.io/run'])).toEqual([RUN_ID]);
    expect(fake.list(`${API} Policy`)).toHaveLength(1);
    await platform.load(dep, tier, hooks());
    expect(dep.proxies.map((p) => p.info.role)).toContain('client-sidecar');
    // Baseline opts out of the made-up mesh too, and its pods carry none of its proxies.
    const base = await platform.up(getMode('baseline'));
    expect(base.proxies).toEqual([]);
    const baseNs = fake
      .list('Namespace')
      .find((n) => n.metadata.labels?.['meshbench.io/mode'] === 'baseline');
    expect(baseNs?.metadata.labels['acme.example/inject']).toBe('off');
    await platform.down();
    expect(fake.list(`${API} Mesh`)).toEqual([]);
    expect(runLabelled(fake)).toEqual([]);
  });
});
