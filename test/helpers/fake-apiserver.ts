import { KubeConfig } from '@kubernetes/client-node';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModeDefinition, ModeName } from '../../src/modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../src/modes/registry.js';

/**
 * An in-process double of the Kubernetes API server for the platform's tests: a node:http server on 127.0.0.1
 * that speaks the real REST paths and objects of the calls the platform makes (discovery, namespaces,
 * deployments, services, configmaps, jobs, pods, pods/log, events, selfsubjectaccessreviews, CRDs, daemonsets,
 * nodes, metrics.k8s.io, custom resources, server-side apply PATCH). It simulates controllers minimally:
 * Deployments get Ready pods, Jobs run pods whose k6 container ends with a given log and exit code.
 *
 * It knows meshes only through the modes' declarations (src/modes): an installed mode brings its CRDs and
 * control planes; its injector acts on pods of namespaces carrying the mode's enrolment labels and
 * annotations (its revision label, with a revision), adding its proxy, init containers and enrolment
 * annotations; objects of kinds with a readiness condition become ready; a waypoint Deployment appears for
 * the mesh object of its name. Always close() it (afterEach).
 */

type Obj = Record<string, any>;

interface ResourceDef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const BUILTIN_RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  { group: 'k6.io', version: 'v1alpha1', plural: 'testruns', kind: 'TestRun', namespaced: true },
];

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: string;
}

export interface FakeOptions {
  /** Nodes of the fake cluster, with their instance types. */
  nodes?: { name: string; instanceType: string }[];
  gitVersion?: string;
  /**
   * Meshes installed, by mode: each brings the CRDs and control planes the mode requires (at `version`, and
   * with `revision` when the mode has control-plane revisions) and acts on pods as the mode declares.
   */
  meshes?: { mode: ModeName; version: string; revision?: string }[];
  /** Modes the fake knows (default: every registered mode). */
  registry?: ModeRegistry;
  /** Install the k6-operator (its TestRun CRD), metrics-server. */
  k6Operator?: boolean;
  metricsServer?: boolean;
  /** Deployments (by name) whose pods never become Ready. */
  neverReady?: string[];
  /** SelfSubjectAccessReview: return false to deny. */
  allow?: (attrs: {
    verb: string;
    group: string;
    resource: string;
    subresource?: string;
    namespace?: string;
  }) => boolean;
  /** What a load pod's k6 container prints and how it exits. */
  k6?: (pod: Obj) => { log: string; exitCode: number };
  /** How long a load pod's k6 runs, ms. */
  k6RunMs?: number;
  /** A classic sidecar that never exits keeps the Job pod Running after k6 ends (the Job never completes). */
  stuckSidecar?: boolean;
  /** metrics-server resolution: usage timestamps change this often, ms. */
  metricsResolutionMs?: number;
  /** CPU (millicores) and memory (MiB) reported for a container. */
  usage?: (pod: Obj, container: string) => { cpuMillicores: number; memMiB: number };
}

/**
 * Every registered mode except those outside every mesh, installed: `version` for any mode not in `versions`.
 * Modes that share a control plane (the Istio modes) install it once.
 */
export function everyMesh(
  versions: Partial<Record<ModeName, string>>,
  version = '1.0.0',
  registry: ModeRegistry = defaultModes,
): NonNullable<FakeOptions['meshes']> {
  return [...registry.values()]
    .filter((m) => !m.kubernetes.outsideEveryMesh)
    .map((m) => ({ mode: m.name, version: versions[m.name] ?? version }));
}

export interface FakeApiServer {
  url: string;
  kubeConfig: KubeConfig;
  requests: FakeRequest[];
  /** Objects by kind (all namespaces). */
  list(kind: string, namespace?: string): Obj[];
  get(kind: string, namespace: string | undefined, name: string): Obj | undefined;
  /** Adds an object as if someone else had created it (not meshbench). */
  seed(obj: Obj): void;
  /** From now on, every request fails at the socket (API server unreachable). */
  setUnreachable(down: boolean): void;
  close(): Promise<void>;
}

/** What an injected proxy reserves in the fake (a mesh's own default lives in its injector's config). */
const PROXY_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2', memory: '1Gi' },
};
const CONTROL_PLANE = 'fake/control-plane';

/** The resources of the modes' declared kinds (keyed by group, version and kind, never kind alone). */
function meshResources(registry: ModeRegistry): ResourceDef[] {
  const out: ResourceDef[] = [];
  for (const m of registry.values())
    for (const k of m.kubernetes.kinds ?? []) {
      const [group = '', version = ''] = k.apiVersion.split('/');
      if (!out.some((r) => r.group === group && r.version === version && r.kind === k.kind))
        out.push({ group, version, plural: k.plural, kind: k.kind, namespaced: k.namespaced });
    }
  return out;
}

function selectorLabels(selector: string): Record<string, string> {
  return Object.fromEntries(selector.split(',').map((t) => t.split('=') as [string, string]));
}

export async function startFakeApiServer(opts: FakeOptions = {}): Promise<FakeApiServer> {
  const store = new Map<string, Obj>();
  const requests: FakeRequest[] = [];
  let unreachable = false;
  let rv = 1;
  let seq = 0;
  const nodes = opts.nodes ?? [
    { name: 'node-a', instanceType: 'm5.large' },
    { name: 'node-b', instanceType: 'm5.large' },
  ];
  const resolution = opts.metricsResolutionMs ?? 15_000;
  const now = () => new Date().toISOString();
  const registry = opts.registry ?? defaultModes;
  const RESOURCES = [...BUILTIN_RESOURCES, ...meshResources(registry)];
  const apiVersionOf = (d: ResourceDef) => (d.group ? `${d.group}/${d.version}` : d.version);
  /** A kind, by kind alone where that is unambiguous, else by apiVersion too. */
  const defOf = (kind: string, apiVersion?: string): ResourceDef | undefined => {
    const defs = RESOURCES.filter((r) => r.kind === kind);
    const exact = defs.find((d) => apiVersionOf(d) === apiVersion);
    if (exact) return exact;
    if (defs.length > 1 && apiVersion === undefined)
      throw new Error(
        `fake: kind ${kind} is ambiguous (${defs.map(apiVersionOf).join(', ')}): give apiVersion`,
      );
    return defs[0];
  };
  const keyOf = (d: ResourceDef, ns: string | undefined, name: string) =>
    `${apiVersionOf(d)} ${d.kind}/${d.namespaced ? (ns ?? '') : ''}/${name}`;

  function put(o: Obj): Obj {
    const def = defOf(o.kind, o.apiVersion);
    if (!def) throw new Error(`fake: unknown kind ${o.kind}`);
    o.apiVersion = apiVersionOf(def);
    o.metadata ??= {};
    o.metadata.uid ??= `uid-${++seq}`;
    o.metadata.creationTimestamp ??= now();
    o.metadata.resourceVersion = String(++rv);
    o.metadata.generation ??= 1;
    store.set(keyOf(def, o.metadata.namespace, o.metadata.name), o);
    return o;
  }
  const getDef = (def: ResourceDef, ns: string | undefined, name: string) => store.get(keyOf(def, ns, name));
  /** `kind` alone, or "apiVersion kind" where two meshes share a kind name. */
  const get = (kind: string, ns: string | undefined, name: string) => {
    const [apiVersion, k] = kind.includes(' ') ? kind.split(' ') : [undefined, kind];
    const def = defOf(k!, apiVersion);
    return def ? getDef(def, ns, name) : undefined;
  };
  const list = (kind: string, ns?: string) => {
    const [apiVersion, k] = kind.includes(' ') ? kind.split(' ') : [undefined, kind];
    return [...store.values()].filter(
      (o) =>
        o.kind === k &&
        (apiVersion === undefined || o.apiVersion === apiVersion) &&
        (ns === undefined || o.metadata.namespace === ns),
    );
  };
  const remove = (o: Obj) => {
    const def = defOf(o.kind, o.apiVersion);
    if (def) store.delete(keyOf(def, o.metadata.namespace, o.metadata.name));
  };

  function crd(name: string, version: string) {
    if (getDef(defOf('CustomResourceDefinition')!, undefined, name)) return;
    put({
      kind: 'CustomResourceDefinition',
      metadata: { name },
      spec: {
        group: name.split('.').slice(1).join('.'),
        names: { plural: name.split('.')[0] },
        scope: 'Namespaced',
        versions: [{ name: version, served: true, storage: true }],
      },
      status: { conditions: [{ type: 'Established', status: 'True' }] },
    });
  }
  function systemDeployment(ns: string, name: string, labels: Obj, image: string) {
    put({
      kind: 'Namespace',
      metadata: { name: ns, labels: {} },
      status: { phase: 'Active' },
    });
    put({
      kind: 'Deployment',
      metadata: {
        name,
        namespace: ns,
        labels,
        annotations: { [CONTROL_PLANE]: 'true' },
        generation: 1,
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'main', image }] } },
      },
      status: {
        observedGeneration: 1,
        replicas: 1,
        availableReplicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
      },
    });
  }
  function daemonSet(ns: string, name: string, podLabels: Obj, container: string, image: string) {
    put({
      kind: 'Namespace',
      metadata: { name: ns, labels: {} },
      status: { phase: 'Active' },
    });
    put({
      kind: 'DaemonSet',
      metadata: { name, namespace: ns, labels: podLabels },
      spec: {
        selector: { matchLabels: podLabels },
        template: { metadata: { labels: podLabels }, spec: { containers: [{ name: container, image }] } },
      },
      status: {
        desiredNumberScheduled: nodes.length,
        numberReady: nodes.length,
        currentNumberScheduled: nodes.length,
        numberMisscheduled: 0,
      },
    });
    for (const n of nodes)
      put(
        runningPod({
          metadata: {
            name: `${name}-${n.name}`,
            namespace: ns,
            labels: { ...podLabels },
          },
          spec: {
            nodeName: n.name,
            containers: [
              { name: container, image, resources: { requests: { cpu: '200m', memory: '512Mi' } } },
            ],
          },
        }),
      );
  }

  /** Installs what a mode requires: its CRDs (at the version its kinds declare) and its control planes. */
  function install(mode: ModeDefinition, version: string, revision: string | undefined): void {
    const req = mode.kubernetes.requires ?? {};
    for (const c of req.crds ?? []) {
      const [plural, ...group] = c.name.split('.');
      const served = RESOURCES.find((r) => r.plural === plural && r.group === group.join('.'));
      crd(c.name, served?.version ?? 'v1');
    }
    for (const plane of req.controlPlanes ?? []) {
      const image = `${plane.image}:${version}`;
      if ('deployment' in plane.find) {
        const labels = selectorLabels(plane.find.deployment);
        const rev =
          mode.kubernetes.revision && revision ? { [mode.kubernetes.revision.label]: revision } : {};
        const base = Object.values(labels)[0] ?? 'control-plane';
        const name = revision ? `${base}-${revision}` : base;
        if (!list('Deployment', plane.namespace).some((d) => d.metadata.name === name))
          systemDeployment(plane.namespace, name, { ...labels, ...rev }, image);
      } else {
        const name = plane.find.daemonSet;
        if (list('DaemonSet', plane.namespace).some((d) => d.metadata.name === name)) continue;
        // A node proxy's pods are found by its selector and charged by its container.
        const proxy = [...registry.values()]
          .map((m) => m.kubernetes.sharedProxies?.nodeProxy)
          .find((p) => p?.daemonSet === name);
        daemonSet(
          plane.namespace,
          name,
          proxy ? selectorLabels(proxy.labelSelector) : { app: name },
          proxy?.container ?? 'main',
          image,
        );
      }
    }
  }

  // The cluster as installed.
  for (const n of nodes)
    put({
      kind: 'Node',
      metadata: { name: n.name, labels: { 'node.kubernetes.io/instance-type': n.instanceType } },
    });
  const installed = (opts.meshes ?? []).map((i) => {
    const mode = registry.get(i.mode);
    if (!mode) throw new Error(`fake: mode ${i.mode} is not registered`);
    install(mode, i.version, i.revision);
    return { mode, version: i.version, revision: i.revision };
  });
  if (opts.k6Operator) crd('testruns.k6.io', 'v1alpha1');

  function runningPod(p: Obj): Obj {
    const containers: Obj[] = p.spec.containers ?? [];
    const inits: Obj[] = p.spec.initContainers ?? [];
    p.kind = 'Pod';
    p.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      initContainerStatuses: inits.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: c.restartPolicy === 'Always',
        restartCount: 0,
        state:
          c.restartPolicy === 'Always'
            ? { running: { startedAt: now() } }
            : { terminated: { exitCode: 0, reason: 'Completed' } },
      })),
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: now() } },
      })),
    };
    return p;
  }

  /** Whether an installed mode's injector (or node agent) acts on pods of a namespace: its enrolment markers. */
  function enrols(i: (typeof installed)[number], ns: Obj | undefined): boolean {
    const k = i.mode.kubernetes;
    if (k.sidecarContainers.length === 0 && (k.enrolmentAnnotations ?? []).length === 0) return false;
    const labels: Obj = ns?.metadata.labels ?? {};
    const annotations: Obj = ns?.metadata.annotations ?? {};
    const want: Record<string, string> = { ...k.namespaceLabels };
    if (k.revision && i.revision) {
      for (const l of k.revision.replaces ?? []) delete want[l];
      want[k.revision.label] = i.revision;
    }
    return (
      Object.entries(want).every(([key, v]) => labels[key] === v) &&
      Object.entries(k.namespaceAnnotations ?? {}).every(([key, v]) => annotations[key] === v) &&
      (k.meshNameLabel === undefined || labels[k.meshNameLabel] !== undefined)
    );
  }

  /** What each installed mesh's mutating webhook does to a new pod, as its mode declares. */
  function inject(pod: Obj): void {
    const ns = get('Namespace', undefined, pod.metadata.namespace);
    const podLabels: Obj = pod.metadata.labels ?? {};
    const annotations: Obj = (pod.metadata.annotations ??= {});
    for (const i of installed) {
      const k = i.mode.kubernetes;
      if (!enrols(i, ns)) continue;
      if (Object.entries(k.optOut?.podLabels ?? {}).some(([key, v]) => podLabels[key] === v)) continue;
      const names = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: Obj) => c.name);
      const image = `${k.sidecarImage ?? 'fake.example/proxy'}:${i.version}`;
      for (const init of k.injectedInitContainers ?? [])
        if (!names.includes(init)) (pod.spec.initContainers ??= []).push({ name: init, image });
      const native =
        k.nativeSidecarAnnotation !== undefined &&
        annotations[k.nativeSidecarAnnotation.name] === k.nativeSidecarAnnotation.value;
      for (const c of k.sidecarContainers) {
        if (names.includes(c)) continue;
        const proxy = { name: c, image, resources: k.sidecarDefaultResources ?? PROXY_RESOURCES };
        if (native) (pod.spec.initContainers ??= []).push({ ...proxy, restartPolicy: 'Always' });
        else pod.spec.containers.push(proxy);
      }
      for (const a of k.enrolmentAnnotations ?? [])
        annotations[a.name] ??= a.value ?? JSON.stringify({ by: 'fake' });
    }
  }

  function newPod(owner: Obj, template: Obj, name: string, extraLabels: Obj = {}): Obj {
    const spec = structuredClone(template.spec);
    const pod: Obj = {
      kind: 'Pod',
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [{ kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid }],
      },
      spec,
    };
    inject(pod);
    const nodeIndex = seq % nodes.length;
    spec.nodeName = nodes[nodeIndex]!.name;
    return pod;
  }

  function addEvent(ns: string, involved: Obj, reason: string, message: string): void {
    put({
      kind: 'Event',
      metadata: { name: `${involved.name}.${++seq}`, namespace: ns },
      involvedObject: involved,
      reason,
      message,
      type: 'Warning',
      lastTimestamp: now(),
    });
  }

  /** Minimal controllers, run after every request and on a short timer. */
  function reconcile(): void {
    for (const ns of list('Namespace')) {
      if (ns.metadata.deletionTimestamp && Date.now() - Date.parse(ns.metadata.deletionTimestamp) > 30) {
        for (const o of [...store.values()]) if (o.metadata.namespace === ns.metadata.name) remove(o);
        remove(ns);
      }
    }
    for (const d of list('Deployment')) {
      if (d.metadata.annotations?.[CONTROL_PLANE]) continue;
      const pods = list('Pod', d.metadata.namespace).filter(
        (p) => p.metadata.ownerReferences?.[0]?.uid === d.metadata.uid,
      );
      const want = d.spec.replicas ?? 1;
      for (let i = pods.length; i < want; i++) {
        const pod = newPod(d, d.spec.template, `${d.metadata.name}-7d4b9c-${i}${seq++}`);
        if ((opts.neverReady ?? []).includes(d.metadata.name)) {
          pod.status = pendingStatus(
            pod,
            (c) => ({ reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` }),
            'ContainersNotReady',
          );
          put(pod);
          addEvent(
            d.metadata.namespace,
            { kind: 'Pod', name: pod.metadata.name },
            'Failed',
            `Failed to pull image "${pod.spec.containers[0].image}": not found`,
          );
        } else put(runningPod(pod));
      }
      const ready = list('Pod', d.metadata.namespace).filter(
        (p) =>
          p.metadata.ownerReferences?.[0]?.uid === d.metadata.uid &&
          p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'),
      ).length;
      d.status = {
        observedGeneration: d.metadata.generation,
        replicas: want,
        updatedReplicas: want,
        readyReplicas: ready,
        availableReplicas: ready,
      };
    }
    // Objects of kinds with a readiness condition become ready.
    for (const m of registry.values())
      for (const k of m.kubernetes.kinds ?? [])
        if (k.ready)
          for (const o of list(`${k.apiVersion} ${k.kind}`))
            o.status ??= { conditions: [{ type: k.ready.condition, status: 'True' }] };
    // The mesh creates a waypoint's Deployment for its mesh object of the same name.
    for (const i of installed) {
      const w = i.mode.kubernetes.sharedProxies?.waypoint;
      if (!w) continue;
      for (const k of i.mode.kubernetes.kinds ?? [])
        for (const o of list(`${k.apiVersion} ${k.kind}`)) {
          const ns = o.metadata.namespace;
          if (o.metadata.name !== w.deployment || !ns || o.metadata.deletionTimestamp) continue;
          if (get('Deployment', ns, w.deployment)) continue;
          const labels = selectorLabels(w.labelSelector);
          put({
            kind: 'Deployment',
            metadata: { name: w.deployment, namespace: ns, labels, generation: 1 },
            spec: {
              replicas: 1,
              selector: { matchLabels: labels },
              template: {
                metadata: { labels },
                spec: {
                  containers: [
                    { name: w.container, image: `${w.image}:${i.version}`, resources: PROXY_RESOURCES },
                  ],
                },
              },
            },
          });
        }
    }
    for (const job of list('Job')) reconcileJob(job);
    for (const tr of list('TestRun')) reconcileTestRun(tr);
  }

  /** A load pod's k6 container: ContainerCreating, then running for k6RunMs, then ended with the k6 result. */
  function advanceLoadPod(pod: Obj, logContainer: string): void {
    const age = Date.now() - Number(pod.metadata.annotations['fake/created']);
    const k6 = pod.status.containerStatuses.find((s: Obj) => s.name === 'k6');
    if (age > 10 && k6.state.waiting) {
      runningPod(pod);
    } else if (age > 10 + (opts.k6RunMs ?? 100) && k6.state.running) {
      const r = opts.k6?.(pod) ?? { log: '', exitCode: 0 };
      pod.metadata.annotations[`fake/log-${logContainer}`] = r.log;
      for (const s of [...pod.status.containerStatuses, ...pod.status.initContainerStatuses]) {
        if (s.name === 'k6' || s.name === logContainer || !opts.stuckSidecar)
          s.state = {
            terminated: {
              exitCode: s.name === 'k6' ? r.exitCode : 0,
              reason: s.name === 'k6' && r.exitCode !== 0 ? 'Error' : 'Completed',
            },
          };
      }
      if (pod.status.containerStatuses.every((s: Obj) => s.state.terminated))
        pod.status.phase = r.exitCode === 0 ? 'Succeeded' : 'Failed';
    }
  }

  /** The k6-operator, minimally: `parallelism` runner pods built from spec.runner, stage initialization -> started -> finished. */
  function reconcileTestRun(tr: Obj): void {
    const runners = list('Pod', tr.metadata.namespace).filter(
      (p) => p.metadata.ownerReferences?.[0]?.uid === tr.metadata.uid,
    );
    const r = tr.spec.runner ?? {};
    for (let i = runners.length; i < tr.spec.parallelism; i++) {
      const template = {
        metadata: {
          labels: { ...(r.metadata?.labels ?? {}), app: 'k6', k6_cr: tr.metadata.name, runner: 'true' },
          annotations: { ...(r.metadata?.annotations ?? {}) },
        },
        spec: {
          initContainers: (r.initContainers ?? []).map((c: Obj) => ({ ...c })),
          containers: [
            {
              name: 'k6',
              image: r.image,
              command: [
                'k6',
                'run',
                '--quiet',
                '--paused',
                ...String(tr.spec.arguments ?? '')
                  .split(' ')
                  .filter(Boolean),
                `/test/${tr.spec.script.configMap.file}`,
              ],
              env: r.env,
              resources: r.resources,
              volumeMounts: r.volumeMounts,
            },
          ],
          volumes: r.volumes,
        },
      };
      const pod = newPod(tr, template, `${tr.metadata.name}-${i + 1}-x${seq++}`);
      putPending(pod, { initContainerStatuses: [] });
    }
    const pods = list('Pod', tr.metadata.namespace).filter(
      (p) => p.metadata.ownerReferences?.[0]?.uid === tr.metadata.uid,
    );
    for (const pod of pods) advanceLoadPod(pod, 'meshbench-reduce');
    const finished =
      pods.length > 0 &&
      pods.every((p) => p.status.containerStatuses.find((s: Obj) => s.name === 'k6')?.state.terminated);
    tr.status = {
      stage: finished
        ? pods.every((p) => p.status.phase === 'Succeeded')
          ? 'finished'
          : 'error'
        : pods.some((p) => p.status.phase === 'Running')
          ? 'started'
          : 'initialization',
    };
  }

  /** A Pending pod's status: not Ready (for `notReadyReason`, if given), each container waiting as `waiting` says. */
  function pendingStatus(pod: Obj, waiting: (container: Obj) => Obj, notReadyReason?: string): Obj {
    return {
      phase: 'Pending',
      conditions: [{ type: 'Ready', status: 'False', ...(notReadyReason ? { reason: notReadyReason } : {}) }],
      containerStatuses: pod.spec.containers.map((c: Obj) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { waiting: waiting(c) },
      })),
    };
  }

  /** Stores a new load pod as the kubelet first reports it: Pending, its containers still being created. */
  function putPending(pod: Obj, extraStatus: Obj = {}): void {
    pod.status = { ...pendingStatus(pod, () => ({ reason: 'ContainerCreating' })), ...extraStatus };
    pod.metadata.annotations['fake/created'] = String(Date.now());
    put(pod);
  }

  function reconcileJob(job: Obj): void {
    const pods = list('Pod', job.metadata.namespace).filter(
      (p) => p.metadata.ownerReferences?.[0]?.uid === job.metadata.uid,
    );
    const want = job.spec.completions ?? 1;
    for (let i = pods.length; i < want; i++) {
      const pod = newPod(job, job.spec.template, `${job.metadata.name}-${i}x${seq++}`, {
        'batch.kubernetes.io/job-name': job.metadata.name,
      });
      putPending(pod);
    }
    let succeeded = 0;
    let failed = 0;
    for (const pod of list('Pod', job.metadata.namespace).filter(
      (p) => p.metadata.ownerReferences?.[0]?.uid === job.metadata.uid,
    )) {
      advanceLoadPod(pod, 'k6');
      if (pod.status.phase === 'Succeeded') succeeded++;
      if (pod.status.phase === 'Failed') failed++;
    }
    job.status = {
      succeeded,
      failed,
      ...(succeeded >= want
        ? { conditions: [{ type: 'Complete', status: 'True' }] }
        : failed > 0
          ? {
              conditions: [
                {
                  type: 'Failed',
                  status: 'True',
                  reason: 'BackoffLimitExceeded',
                  message: 'Job has reached the specified backoff limit',
                },
              ],
            }
          : {}),
    };
  }

  function matches(o: Obj, labelSelector: string | null, fieldSelector: string | null): boolean {
    const labels: Obj = o.metadata.labels ?? {};
    for (const term of (labelSelector ?? '').split(',').filter(Boolean)) {
      const neq = term.split('!=');
      if (neq.length === 2) {
        if (labels[neq[0]!] === neq[1]) return false;
        continue;
      }
      const [k, v] = term.split('=');
      if (v === undefined ? !(k! in labels) : labels[k!] !== v) return false;
    }
    for (const term of (fieldSelector ?? '').split(',').filter(Boolean)) {
      const [k, v] = term.split('=');
      if (k === 'metadata.name' && o.metadata.name !== v) return false;
      if (k === 'metadata.namespace' && o.metadata.namespace !== v) return false;
    }
    return true;
  }

  function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
    res.writeHead(code, { 'content-type': type });
    res.end(typeof body === 'string' && type !== 'application/json' ? body : JSON.stringify(body));
  }
  const status = (res: ServerResponse, code: number, reason: string, message: string) =>
    send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });

  function discovery(group: string, version: string): Obj | undefined {
    const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
    if (defs.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: defs.map((d) => ({
        name: d.plural,
        singularName: d.kind.toLowerCase(),
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      })),
    };
  }

  function metricsFor(ns: string): Obj {
    const bucket = Math.floor(Date.now() / resolution) * resolution;
    const items = list('Pod', ns).map((p) => ({
      metadata: { name: p.metadata.name, namespace: ns },
      timestamp: new Date(bucket).toISOString(),
      window: `${Math.round(resolution / 1000)}s`,
      containers: [
        ...(p.spec.initContainers ?? []).filter((c: Obj) => c.restartPolicy === 'Always'),
        ...p.spec.containers,
      ].map((c: Obj) => {
        const u = opts.usage?.(p, c.name) ?? { cpuMillicores: 5, memMiB: 20 };
        return {
          name: c.name,
          usage: { cpu: `${Math.round(u.cpuMillicores * 1e6)}n`, memory: `${Math.round(u.memMiB * 1024)}Ki` },
        };
      }),
    }));
    return { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items };
  }

  function apply(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    body: Obj,
    res: ServerResponse,
  ): void {
    if (def.namespaced && ns && !get('Namespace', undefined, ns))
      return status(res, 404, 'NotFound', `namespaces "${ns}" not found`);
    const existing = getDef(def, ns, name);
    if (existing?.metadata.deletionTimestamp) return status(res, 409, 'Conflict', `object is being deleted`);
    const merged: Obj = existing
      ? {
          ...existing,
          ...body,
          metadata: { ...existing.metadata, ...body.metadata },
          status: existing.status,
        }
      : { ...body };
    if (existing && JSON.stringify(existing.spec) !== JSON.stringify(body.spec))
      merged.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    merged.kind = def.kind;
    merged.apiVersion = apiVersionOf(def);
    merged.metadata.name = name;
    if (def.namespaced) merged.metadata.namespace = ns;
    if (def.kind === 'Namespace') merged.status ??= { phase: 'Active' };
    send(res, existing ? 200 : 201, put(merged));
  }

  function deleteObj(o: Obj): void {
    if (o.kind === 'Namespace') {
      o.metadata.deletionTimestamp ??= now();
      o.status = { phase: 'Terminating' };
      return;
    }
    remove(o);
    // Garbage collection of owned objects (Background propagation).
    for (const child of [...store.values()])
      if (child.metadata.ownerReferences?.[0]?.uid === o.metadata.uid) remove(child);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      body,
    });
    reconcile();
    const p = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version')
      return send(res, 200, {
        major: '1',
        minor: '31',
        gitVersion: opts.gitVersion ?? 'v1.31.2',
        platform: 'linux/amd64',
      });
    if (url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' && req.method === 'POST') {
      const r = JSON.parse(body) as Obj;
      const a = r.spec.resourceAttributes;
      return send(res, 201, { ...r, status: { allowed: opts.allow ? opts.allow(a) : true } });
    }
    // /api/v1/... or /apis/<group>/<version>/...
    let group: string;
    let version: string;
    let rest: string[];
    if (p[0] === 'api') [group, version, rest] = ['', p[1] ?? '', p.slice(2)];
    else if (p[0] === 'apis') [group, version, rest] = [p[1] ?? '', p[2] ?? '', p.slice(3)];
    else return status(res, 404, 'NotFound', url.pathname);
    if (group === 'metrics.k8s.io') {
      if (!opts.metricsServer)
        return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      if (rest[0] === 'namespaces' && rest[2] === 'pods') return send(res, 200, metricsFor(rest[1] ?? ''));
      return status(res, 404, 'NotFound', url.pathname);
    }
    if (rest.length === 0) {
      const d = discovery(group, version);
      return d ? send(res, 200, d) : status(res, 404, 'NotFound', url.pathname);
    }
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const def = RESOURCES.find((r) => r.group === group && r.version === version && r.plural === rest[0]);
    const crdInstalled = (d: ResourceDef) =>
      d.group === '' ||
      ['apps', 'batch', 'apiextensions.k8s.io'].includes(d.group) ||
      !!get('CustomResourceDefinition', undefined, `${d.plural}.${d.group}`);
    if (!def || !crdInstalled(def))
      return status(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
    const name = rest[1];
    if (name === undefined) {
      if (req.method === 'GET') {
        const items = list(def.kind, ns).filter((o) =>
          matches(o, url.searchParams.get('labelSelector'), url.searchParams.get('fieldSelector')),
        );
        return send(res, 200, {
          kind: `${def.kind}List`,
          apiVersion: group ? `${group}/${version}` : version,
          metadata: { resourceVersion: String(rv) },
          items,
        });
      }
      if (req.method === 'POST') {
        const o = JSON.parse(body) as Obj;
        return apply(def, ns, o.metadata.name, o, res);
      }
      return status(res, 405, 'MethodNotAllowed', req.method ?? '');
    }
    const existing = getDef(def, ns, name);
    if (rest[2] === 'log' && def.kind === 'Pod') {
      if (!existing) return status(res, 404, 'NotFound', `pods "${name}" not found`);
      const container = url.searchParams.get('container') ?? existing.spec.containers[0].name;
      return send(res, 200, existing.metadata.annotations?.[`fake/log-${container}`] ?? '', 'text/plain');
    }
    if (req.method === 'GET')
      return existing
        ? send(res, 200, existing)
        : status(res, 404, 'NotFound', `${def.plural} "${name}" not found`);
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml')
        return status(res, 415, 'UnsupportedMediaType', 'only server-side apply is simulated');
      if (!url.searchParams.get('fieldManager'))
        return status(res, 422, 'Invalid', 'fieldManager is required for apply patch');
      return apply(def, ns, name, JSON.parse(body) as Obj, res);
    }
    if (req.method === 'DELETE') {
      if (!existing) return status(res, 404, 'NotFound', `${def.plural} "${name}" not found`);
      deleteObj(existing);
      return send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }
    return status(res, 405, 'MethodNotAllowed', req.method ?? '');
  }

  const server: Server = createServer((req, res) => {
    if (unreachable) {
      req.socket.destroy();
      return;
    }
    handle(req, res).catch((e: unknown) => status(res, 500, 'InternalError', String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setInterval(reconcile, 5);
  timer.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'fake-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return {
    url,
    kubeConfig,
    requests,
    list: (kind, namespace) => list(kind, namespace),
    get: (kind, namespace, name) => get(kind, namespace, name),
    seed: (obj) => {
      put(structuredClone(obj));
    },
    setUnreachable: (down) => {
      unreachable = down;
    },
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
