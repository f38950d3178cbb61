import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_MODE_NAMES, MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import { modes } from '../../src/modes/registry.js';
import { renderManifests, renderManifestsYaml } from '../../src/platforms/kubernetes/render.js';
import {
  DEFAULT_KUBERNETES_SETTINGS,
  type KubernetesSettings,
} from '../../src/platforms/kubernetes/settings.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import type { ResolvedSpec } from '../../src/spec/schema.js';
import { loadCrdValidator } from '../helpers/crd-validator.js';
import { sharedData } from '../helpers/shared-data.js';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [k: string]: any;
};

const RUN_ID = '20261121-231500-nightly-regression-for-the-payments-team-3fa2';
const spec: ResolvedSpec = {
  ...DEFAULT_SPEC,
  platform: 'kubernetes',
  modes: [...MODE_NAMES],
  repetitions: 2,
  app: { replicas: 3, delayMs: 5 },
};

function render(
  settings: Partial<KubernetesSettings> = {},
  caps?: { k6Operator: boolean; nativeSidecars: boolean },
) {
  return renderManifests(
    spec,
    { ...DEFAULT_KUBERNETES_SETTINGS, ...settings },
    RUN_ID,
    caps ? { capabilities: caps } : {},
  ) as { mode: ModeName; objects: Obj[] }[];
}
const objectsOf = (r: ReturnType<typeof render>, mode: ModeName) =>
  r.find((x) => x.mode === mode)?.objects ?? [];
const ofKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);

// kubernetes-models validates against the Kubernetes OpenAPI schemas of the built-in kinds.
const BUILTIN: Record<string, (o: Obj) => { validate(): void }> = {
  Namespace: (o) => new Namespace(o as never),
  Deployment: (o) => new Deployment(o as never),
  Service: (o) => new Service(o as never),
  ConfigMap: (o) => new ConfigMap(o as never),
  Job: (o) => new Job(o as never),
};

// Custom resources: the meshes' published CRDs (shared/crds), loaded once when that folder is there.
const crdDir = sharedData('crds');
const crds = crdDir.present ? loadCrdValidator(crdDir.path) : undefined;

/** Metadata as the API server requires it of every object meshbench creates (a DNS label name). */
function validateMeta(o: Obj): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata.name) || o.metadata.name.length > 63)
    throw new Error(`metadata.name ${o.metadata.name} is not a DNS label`);
}

/** Built-in kinds against Kubernetes' schemas; the others against their published CRD, when loaded. */
function validate(o: Obj): void {
  validateMeta(o);
  const builtin = BUILTIN[o.kind];
  if (builtin) return builtin(o).validate();
  if (!crds) return;
  const problems = crds.problems(o);
  if (problems.length > 0) throw new Error(`${o.kind} ${o.metadata.name}: ${problems.join('; ')}`);
}

/** Objects a mode declares it puts in its mesh's own namespace (Kuma's MeshIdentity). */
const outsideRunNamespace = (o: Obj) =>
  [...modes.values()].some((m) =>
    (m.kubernetes.kinds ?? []).some(
      (k) => k.outsideRunNamespace && k.kind === o.kind && k.apiVersion === o.apiVersion,
    ),
  );

describe('rendered manifests', () => {
  const variants: [
    string,
    Partial<KubernetesSettings>,
    { k6Operator: boolean; nativeSidecars: boolean } | undefined,
  ][] = [
    ['defaults', {}, undefined],
    [
      'revision, node selector, 3 indexed load pods',
      { istioRevision: 'asm-1-26', nodeSelector: { pool: 'bench' }, k6Parallelism: 3 },
      undefined,
    ],
    ['k6-operator TestRun', { k6Parallelism: 4 }, { k6Operator: true, nativeSidecars: true }],
  ];
  it.each(variants)(
    'every built-in object of every mode validates against the Kubernetes schemas (%s)',
    (_name, settings, caps) => {
      const r = render(settings, caps);
      expect(r.map((x) => x.mode)).toEqual([...MODE_NAMES]);
      for (const { objects } of r)
        for (const o of objects)
          if (BUILTIN[o.kind]) expect(() => validate(o), `${o.kind} ${o.metadata.name}`).not.toThrow();
    },
  );

  crdDir.describe('against the published CRDs in shared/crds', () => {
    it.each(variants)(
      'every custom resource of every mode validates against its CRD (%s)',
      (_name, settings, caps) => {
        const custom = render(settings, caps).flatMap((r) => r.objects.filter((o) => !BUILTIN[o.kind]));
        expect(new Set(custom.map((o) => o.kind)).size).toBeGreaterThan(3);
        for (const o of custom) {
          expect(crds?.has(o.apiVersion, o.kind), `${o.apiVersion} ${o.kind} has a published CRD`).toBe(true);
          expect(crds?.problems(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
        }
      },
    );

    it('the CRD validator is not a no-op: wrong enums, unknown fields and missing required fields fail', () => {
      const pa = structuredClone(ofKind(objectsOf(render(), 'istio-sidecar'), 'PeerAuthentication')[0]!);
      pa.spec.mtls.mode = 'STRICTEST';
      expect(crds?.problems(pa).join()).toMatch(
        /spec\.mtls\.mode: must be equal to one of the allowed values/,
      );
      const gw = structuredClone(ofKind(objectsOf(render(), 'istio-waypoint'), 'Gateway')[0]!);
      gw.spec.listener = gw.spec.listeners;
      delete gw.spec.listeners;
      expect(crds?.problems(gw).join()).toMatch(/must have required property 'listeners'/);
      expect(crds?.problems(gw).join()).toMatch(/must NOT have additional properties \(listener\)/);
      const vn = structuredClone(ofKind(objectsOf(render(), 'appmesh'), 'VirtualNode')[0]!);
      vn.spec.listeners[0].portMapping.protocol = 'quic';
      expect(crds?.problems(vn)).not.toEqual([]);
    });
  });

  it('a broken object fails validation (the validator is not a no-op)', () => {
    const d = structuredClone(ofKind(objectsOf(render(), 'baseline'), 'Deployment')[0]!);
    d.spec.replicas = 'two';
    expect(() => validate(d)).toThrow();
    const ns = structuredClone(ofKind(objectsOf(render(), 'baseline'), 'Namespace')[0]!);
    ns.metadata.name = 'Not_A_Label';
    expect(() => validate(ns)).toThrow(/DNS label/);
  });

  it('labels every object with the run and meshbench, and keeps names within 63 characters', () => {
    for (const { mode, objects } of render()) {
      for (const o of objects) {
        expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('meshbench');
        expect(o.metadata.labels?.['meshbench.io/run']).toBe(RUN_ID);
        expect(o.metadata.labels?.['meshbench.io/mode']).toBe(mode);
        expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      }
    }
  });

  it('puts each mode in its own namespace, created first', () => {
    const r = render();
    const names = r.map((x) => ofKind(x.objects, 'Namespace')[0]?.metadata.name);
    expect(new Set(names).size).toBe(MODE_NAMES.length);
    for (const { objects } of r) {
      const ns = ofKind(objects, 'Namespace')[0]!.metadata.name;
      const firstNamespaced = objects.findIndex((o) => o.metadata.namespace !== undefined);
      expect(objects.findIndex((o) => o.kind === 'Namespace')).toBeLessThan(firstNamespaced);
      for (const o of objects)
        if (o.kind !== 'Namespace' && o.metadata.namespace !== undefined && !outsideRunNamespace(o))
          expect(o.metadata.namespace).toBe(ns);
    }
  });

  it('enrols each namespace as its mode requires', () => {
    const labels = (mode: ModeName, s: Partial<KubernetesSettings> = {}) =>
      ofKind(objectsOf(render(s), mode), 'Namespace')[0]!.metadata.labels!;
    expect(labels('istio-sidecar')['istio-injection']).toBe('enabled');
    expect(labels('istio-ambient')['istio.io/dataplane-mode']).toBe('ambient');
    expect(labels('istio-waypoint')['istio.io/use-waypoint']).toBe('waypoint');
    expect(labels('appmesh')['appmesh.k8s.aws/sidecarInjectorWebhook']).toBe('enabled');
    // A revision (the AKS add-on's asm-X-Y) replaces istio-injection, which would otherwise win.
    const rev = labels('istio-sidecar', { istioRevision: 'asm-1-26' });
    expect(rev['istio.io/rev']).toBe('asm-1-26');
    expect(rev['istio-injection']).toBeUndefined();
    // Baseline is kept out of every mesh present.
    const base = labels('baseline', { istioRevision: 'asm-1-26' });
    expect(base).toMatchObject({
      'istio-injection': 'disabled',
      'istio.io/dataplane-mode': 'none',
      'appmesh.k8s.aws/sidecarInjectorWebhook': 'disabled',
    });
    expect(base['istio.io/rev']).toBeUndefined();
    expect(base.mesh).toBeUndefined();
  });

  it('adds STRICT mTLS for Istio modes, a waypoint for istio-waypoint, and App Mesh objects whose mesh selects the namespace', () => {
    const r = render();
    for (const m of ['istio-sidecar', 'istio-ambient', 'istio-waypoint'] as const)
      expect(ofKind(objectsOf(r, m), 'PeerAuthentication')[0]?.spec.mtls.mode).toBe('STRICT');
    expect(ofKind(objectsOf(r, 'baseline'), 'PeerAuthentication')).toHaveLength(0);
    const gw = ofKind(objectsOf(r, 'istio-waypoint'), 'Gateway')[0]!;
    expect(gw.metadata.labels?.['istio.io/waypoint-for']).toBe('service');
    expect(gw.spec.listeners[0]).toEqual({ name: 'mesh', port: 15008, protocol: 'HBONE' });
    const am = objectsOf(r, 'appmesh');
    const mesh = ofKind(am, 'Mesh')[0]!;
    const ns = ofKind(am, 'Namespace')[0]!;
    expect(am[0]?.kind).toBe('Mesh');
    for (const [k, v] of Object.entries(mesh.spec.namespaceSelector.matchLabels as Record<string, string>))
      expect(ns.metadata.labels?.[k]).toBe(v);
    const vnodes = ofKind(am, 'VirtualNode').map((v) => v.spec.podSelector.matchLabels.app);
    expect(vnodes.sort()).toEqual(['client', 'server']);
    expect(ofKind(am, 'VirtualService')[0]?.spec.awsName).toBe(
      `server.${ns.metadata.name}.svc.cluster.local`,
    );
  });

  it('sizes the server from the spec and points the load at it with the payload and delay', () => {
    const d = ofKind(
      objectsOf(render({ serverImage: 'fortio/fortio:1.69.5' }), 'baseline'),
      'Deployment',
    )[0]!;
    expect(d.spec.replicas).toBe(3);
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('fortio/fortio:1.69.5');
    expect(c.resources.requests).toEqual(DEFAULT_KUBERNETES_SETTINGS.serverResources.requests);
    const jobs = ofKind(objectsOf(render(), 'baseline'), 'Job');
    expect(jobs).toHaveLength(spec.tiers.length * spec.repetitions);
    const env = Object.fromEntries(
      (jobs[0]!.spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [
        e.name,
        e.value,
      ]),
    );
    expect(env.TARGETS).toMatch(
      /^http:\/\/server\.meshbench-[0-9a-f]{8}-baseline\.svc\.cluster\.local:8080\/echo\?delay=5ms$/,
    );
    expect(env.PAYLOAD_BYTES).toBe(String(spec.tiers[0]!.payloadBytes));
    expect(env.K6_NO_USAGE_REPORT).toBe('true');
  });

  it('gives sidecar modes a way to end the Job pod: native sidecar annotation and the proxy quit URL', () => {
    const job = ofKind(objectsOf(render(), 'istio-sidecar'), 'Job')[0]!;
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    const env = Object.fromEntries(
      (job.spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [
        e.name,
        e.value,
      ]),
    );
    expect(env.MESHBENCH_PROXY_QUIT_URL).toBe('http://127.0.0.1:15020/quitquitquit');
    const am = ofKind(objectsOf(render(), 'appmesh'), 'Job')[0]!;
    expect(
      am.spec.template.spec.containers[0].env.find(
        (e: { name: string }) => e.name === 'MESHBENCH_PROXY_QUIT_URL',
      ).value,
    ).toBe('http://127.0.0.1:9901/quitquitquit');
    const amb = ofKind(objectsOf(render(), 'istio-ambient'), 'Job')[0]!;
    expect(
      amb.spec.template.spec.containers[0].env.some(
        (e: { name: string }) => e.name === 'MESHBENCH_PROXY_QUIT_URL',
      ),
    ).toBe(false);
  });

  it('uses a TestRun only where the operator can end its pods, else an indexed Job', () => {
    const r = render({ k6Parallelism: 4 }, { k6Operator: true, nativeSidecars: false });
    expect(ofKind(objectsOf(r, 'istio-ambient'), 'TestRun')).toHaveLength(
      spec.tiers.length * spec.repetitions,
    );
    expect(ofKind(objectsOf(r, 'istio-sidecar'), 'TestRun')).toHaveLength(0);
    expect(ofKind(objectsOf(r, 'appmesh'), 'TestRun')).toHaveLength(0);
    const job = ofKind(objectsOf(r, 'appmesh'), 'Job')[0]!;
    expect(job.spec).toMatchObject({ completions: 4, parallelism: 4, completionMode: 'Indexed' });
  });

  it('prints every object as YAML that parses back to the same objects', () => {
    const r = render();
    const docs = parseAllDocuments(renderManifestsYaml(r)).map((d) => d.toJS() as Obj);
    expect(docs).toEqual(r.flatMap((x) => x.objects));
  });

  it('kuma: enrolled by label into a Mesh of the run with builtin-CA mTLS, and the client allowed by identity', () => {
    const k = objectsOf(render(), 'kuma');
    const ns = ofKind(k, 'Namespace')[0]!;
    const mesh = k.find((o) => o.apiVersion === 'kuma.io/v1alpha1' && o.kind === 'Mesh')!;
    // The cluster-scoped Mesh comes first: the namespace's pods join it when admitted.
    expect(k[0]).toBe(mesh);
    expect(mesh.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'kuma.io/sidecar-injection': 'enabled',
      'kuma.io/mesh': mesh.metadata.name,
    });
    expect(mesh.spec.mtls.enabledBackend).toBe(mesh.spec.mtls.backends[0].name);
    expect(mesh.spec.mtls.backends[0].type).toBe('builtin');
    const identity = ofKind(k, 'MeshIdentity')[0]!;
    expect(identity.metadata.namespace).toBe('kuma-system');
    expect(identity.metadata.labels?.['kuma.io/mesh']).toBe(mesh.metadata.name);
    const mtp = ofKind(k, 'MeshTrafficPermission')[0]!;
    expect(mtp.metadata.namespace).toBe(ns.metadata.name);
    expect(mtp.metadata.labels?.['kuma.io/mesh']).toBe(mesh.metadata.name);
    expect(mtp.spec.targetRef).toEqual({ kind: 'Dataplane', labels: { app: 'server' } });
    // The allowed identity is the load pods' (default ServiceAccount of the run's namespace) in the trust
    // domain the MeshIdentity issues, so the client is allowed and nothing else.
    expect(mtp.spec.rules[0].default.allow).toEqual([
      {
        spiffeID: {
          type: 'Exact',
          value: `spiffe://${identity.spec.spiffeID.trustDomain}/ns/${ns.metadata.name}/sa/default`,
        },
      },
    ]);
    // Baseline opts out of Kuma too.
    expect(ofKind(objectsOf(render(), 'baseline'), 'Namespace')[0]!.metadata.labels).toMatchObject({
      'kuma.io/sidecar-injection': 'disabled',
    });
  });

  it('new meshes are opt-in: the default run keeps the five original modes', () => {
    expect(DEFAULT_MODE_NAMES).toEqual([
      'baseline',
      'istio-sidecar',
      'istio-ambient',
      'istio-waypoint',
      'appmesh',
    ]);
    expect(DEFAULT_SPEC.modes).toEqual([...DEFAULT_MODE_NAMES]);
    expect(MODE_NAMES).toContain('kuma');
  });

  crdDir.it(
    'kuma: a MeshTrafficPermission in the released from/action form is refused by the published CRD',
    () => {
      const mtp = structuredClone(ofKind(objectsOf(render(), 'kuma'), 'MeshTrafficPermission')[0]!);
      mtp.spec = {
        targetRef: { kind: 'Mesh' },
        from: [{ targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } }],
      };
      expect(crds?.problems(mtp).join()).toMatch(/must NOT have additional properties \(from\)/);
    },
  );

  it('linkerd: enrolled by a namespace annotation alone, no mesh object; baseline opts out by annotation', () => {
    const l = objectsOf(render(), 'linkerd');
    const ns = ofKind(l, 'Namespace')[0]!;
    expect(ns.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(l.map((o) => o.kind).filter((k) => !BUILTIN[k])).toEqual([]);
    const base = ofKind(objectsOf(render(), 'baseline'), 'Namespace')[0]!;
    expect(base.metadata.annotations).toEqual({ 'linkerd.io/inject': 'disabled' });
    // Load pods ask for a native sidecar, and quit the proxy on its admin port where there is none.
    const job = ofKind(l, 'Job')[0]!;
    expect(job.spec.template.metadata.annotations['config.beta.linkerd.io/proxy-enable-native-sidecar']).toBe(
      'true',
    );
    const env = job.spec.template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.find((e) => e.name === 'MESHBENCH_PROXY_QUIT_URL')?.value).toBe(
      'http://127.0.0.1:4191/shutdown',
    );
    expect(DEFAULT_MODE_NAMES).not.toContain('linkerd');
  });
});
