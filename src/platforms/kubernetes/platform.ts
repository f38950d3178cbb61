import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { LoadHooks } from '../../engines/engine.js';
import { bundleScenario } from '../../engines/k6/bundle.js';
import type { ModeDefinition, ModeName } from '../../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../modes/registry.js';
import type { LatencyResult, ModeTopologyRecord } from '../../results/schema.js';
import type { ResolvedSpec, Tier } from '../../spec/schema.js';
import type {
  Deployment,
  HoldsModesConcurrently,
  LiveProxy,
  Platform,
  PlatformDescription,
  Sampler,
} from '../platform.js';
import { applyAll } from './apply.js';
import { loadKubeConfig, makeClients, type KubeClients } from './client.js';
import { clusterInfo, describeProxies, type ClusterInfo } from './environment.js';
import { runLoad } from './load-job.js';
import type { K8sObject } from './manifest-files.js';
import { SERVER_NAME } from './names.js';
import { assertPreflight, hasK6Operator, kubernetesPreflight } from './preflight.js';
import { clusterPath, imageTag, nodeProxies, podInfos, sidecarProxies, waypointProxies } from './proxies.js';
import { renderContext, type RenderContext } from './render-context.js';
import { loadTarget } from './render-load.js';
import { loadKindFor, setupPhases, type LoadCapabilities } from './render.js';
import { readMetricsApi } from './sample-metrics-api.js';
import { readPrometheusNow } from './sample-prometheus.js';
import { createClusterSampler, type Usage } from './sampler.js';
import type { KubernetesSettings } from './settings.js';
import { deleteRunObjects } from './teardown.js';
import { verifyEnrolment } from './verify-enrolment.js';
import { waitForCondition, waitForDeployment } from './wait.js';
import { kindOf } from './mesh-kinds.js';

export interface KubernetesPlatformOptions {
  runId: string;
  spec: ResolvedSpec;
  settings: KubernetesSettings;
  /** Defaults to the user's kubeconfig (KUBECONFIG, ~/.kube/config) at settings.context. */
  kubeConfig?: KubeConfig;
  registry?: ModeRegistry;
  /** Run preflight first and refuse to start when it fails (default true). */
  preflight?: boolean;
  /** How often state is polled, ms (default 1000; tests use less). */
  pollIntervalMs?: number;
  /** Sampling interval, ms (default settings.sampleIntervalSec). */
  sampleIntervalMs?: number;
}

export interface KubernetesPlatform extends Platform, HoldsModesConcurrently {
  name: 'kubernetes';
  /** For EnvironmentInfo.kubernetes in results.json. */
  environment(): ClusterInfo;
  /** The load engine as it runs in the cluster (k6 in a Job, named by its image tag). */
  engine(): Promise<{ name: 'k6'; version: string }>;
}

interface ModeState {
  ctx: RenderContext;
  deployment: Deployment;
  /** Node-proxy pods on every node, so that a load pod's node can be added when it is scheduled. */
  nodeProxyPods: V1Pod[];
  idle: Map<string, Usage>;
  loads: number;
}

/** Kubernetes >= 1.29 runs init containers with restartPolicy Always as native sidecars by default. */
export function supportsNativeSidecars(gitVersion: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '');
  return m !== null && (Number(m[1]) > 1 || Number(m[2]) >= 29);
}

/**
 * The Kubernetes platform: one namespace per (run, mode) holding the fortio server and, per cell, a k6 load
 * Job. Every mode's namespace can stay up at once, so cells interleave (HoldsModesConcurrently). Everything
 * it creates carries the run's labels and `down()` deletes exactly that, by label.
 */
export async function createKubernetesPlatform(o: KubernetesPlatformOptions): Promise<KubernetesPlatform> {
  const registry = o.registry ?? defaultModes;
  const kc = o.kubeConfig ?? loadKubeConfig(o.settings.context);
  const clients: KubeClients = makeClients(kc);
  const interval = o.pollIntervalMs ?? 1000;
  const readyMs = o.settings.readyTimeoutSec * 1000;
  const modeDefs = o.spec.modes
    .map((m) => registry.get(m))
    .filter((m): m is ModeDefinition => m !== undefined);
  if (o.preflight !== false)
    assertPreflight(
      await kubernetesPreflight({
        spec: o.spec,
        settings: o.settings,
        runId: o.runId,
        kubeConfig: kc,
        registry,
      }),
    );
  const info = await clusterInfo(clients, modeDefs, o.settings);
  const caps: LoadCapabilities = {
    k6Operator: o.settings.k6Parallelism > 1 && (await hasK6Operator(clients)),
    nativeSidecars: supportsNativeSidecars(info.serverVersion),
  };
  const states = new Map<ModeName, ModeState>();

  const readUsage = async (proxies: LiveProxy[]): Promise<Map<string, Usage>> => {
    if (proxies.length === 0) return new Map();
    if (o.settings.prometheusUrl !== undefined) return readPrometheusNow(o.settings.prometheusUrl, proxies);
    return new Map(
      (await readMetricsApi(clients, proxies)).map((r) => [
        r.proxyId,
        { cpuMillicores: r.cpuMillicores, memMiB: r.memMiB },
      ]),
    );
  };

  async function up(mode: ModeDefinition, signal?: AbortSignal): Promise<Deployment> {
    const existing = states.get(mode.name);
    if (existing) return existing.deployment;
    const ctx = renderContext(o.runId, o.spec, o.settings, mode, registry);
    const script = await bundleScenario();
    const phases = setupPhases(ctx, script);
    const wait = { timeoutMs: readyMs, intervalMs: interval, ...(signal ? { signal } : {}) };
    // Mesh objects first, before any pod is created: an injector may need them when it admits a pod (App
    // Mesh: the Mesh and the VirtualNode that selects it). Each waits as its kind declares: before the
    // workloads, or after them for objects the mesh programs only then (an Istio waypoint).
    const waitFor = async (when: 'workloads' | 'after-workloads') => {
      for (const obj of phases.mesh) {
        const k = kindOf(mode, obj);
        if (k?.ready?.before === when)
          await waitForCondition(
            clients,
            obj,
            { plural: k.plural, condition: k.ready.condition },
            ctx.namespace,
            wait,
          );
      }
    };
    await applyAll(clients, phases.mesh, signal);
    await waitFor('workloads');
    await applyAll(clients, phases.workloads, signal);
    await waitFor('after-workloads');
    const serverPods = await waitForDeployment(clients, ctx.namespace, SERVER_NAME, wait);
    verifyEnrolment(mode, serverPods, registry);
    // A waypoint's Deployment is the mesh's (created for its mesh object once that is programmed).
    const waypoint = mode.topology.waypoint ? mode.kubernetes.sharedProxies?.waypoint : undefined;
    const waypointPods = waypoint
      ? await waitForDeployment(clients, ctx.namespace, waypoint.deployment, wait)
      : [];
    const nodeSel = mode.topology.nodeProxy ? mode.kubernetes.sharedProxies?.nodeProxy : undefined;
    const nodeProxyPods = nodeSel
      ? (await clients.core.listPodForAllNamespaces({ labelSelector: nodeSel.labelSelector })).items
      : [];
    const serverNodes = new Set(serverPods.flatMap((p) => (p.spec?.nodeName ? [p.spec.nodeName] : [])));
    const proxies = [
      ...sidecarProxies(mode, serverPods, 'server-sidecar'),
      ...nodeProxies(mode, nodeProxyPods, serverNodes),
      ...waypointProxies(mode, waypointPods),
    ];
    // Idle usage of every node proxy before any load (the load pod's node is known only later).
    const idle = await readUsage(
      nodeProxies(
        mode,
        nodeProxyPods,
        new Set(nodeProxyPods.flatMap((p) => (p.spec?.nodeName ? [p.spec.nodeName] : []))),
      ),
    ).catch(() => new Map<string, Usage>());
    const pods = podInfos(serverPods, 'server');
    const deployment: Deployment = {
      mode,
      target: loadTarget(ctx),
      proxies,
      topology: {
        mode: mode.name,
        pods,
        nodes: [...new Set([...pods.map((p) => p.node), ...proxies.map((p) => p.info.node)])].sort(),
        proxies: proxies.map((p) => p.info),
        path: clusterPath(mode),
      },
    };
    states.set(mode.name, { ctx, deployment, nodeProxyPods, idle, loads: 0 });
    return deployment;
  }

  /** Load pods are clients: enrolled like any, their sidecars and their nodes' ztunnels are charged to the mode. */
  function addLoadPods(state: ModeState, loadPods: V1Pod[]): void {
    const { deployment, ctx } = state;
    verifyEnrolment(ctx.mode, loadPods, registry);
    const keep = deployment.proxies.filter((p) => p.info.role !== 'client-sidecar');
    const known = new Set(keep.map((p) => p.info.id));
    const nodes = new Set(loadPods.flatMap((p) => (p.spec?.nodeName ? [p.spec.nodeName] : [])));
    const added = [
      ...sidecarProxies(ctx.mode, loadPods, 'client-sidecar'),
      ...nodeProxies(ctx.mode, state.nodeProxyPods, nodes).filter((p) => !known.has(p.info.id)),
    ];
    deployment.proxies = [...keep, ...added];
    const t = deployment.topology;
    t.pods = [...t.pods.filter((p) => p.role !== 'client'), ...podInfos(loadPods, 'client')];
    t.proxies = deployment.proxies.map((p) => p.info);
    t.nodes = [
      ...new Set([...t.nodes, ...t.pods.map((p) => p.node), ...t.proxies.map((p) => p.node)]),
    ].sort();
  }

  async function load(deployment: Deployment, tier: Tier, hooks: LoadHooks): Promise<LatencyResult> {
    const state = states.get(deployment.mode.name);
    if (!state) throw new Error(`mode ${deployment.mode.name} is not up`);
    state.loads++;
    const rep = Number(hooks.tags?.rep ?? state.loads) || state.loads;
    const script = await bundleScenario();
    return runLoad({
      clients,
      ctx: state.ctx,
      tier,
      repetition: rep,
      scriptFile: script.fileName,
      kind: loadKindFor(state.ctx.mode, o.settings, caps),
      hooks,
      intervalMs: interval,
      startTimeoutMs: readyMs,
      onPodsRunning: (pods) => addLoadPods(state, pods),
    });
  }

  function sampler(deployment: Deployment): Sampler {
    const state = states.get(deployment.mode.name);
    return createClusterSampler({
      clients,
      ...(o.settings.prometheusUrl !== undefined ? { prometheusUrl: o.settings.prometheusUrl } : {}),
      proxies: () => deployment.proxies,
      idle: state?.idle ?? new Map(),
      intervalMs: o.sampleIntervalMs ?? o.settings.sampleIntervalSec * 1000,
    });
  }

  async function down(): Promise<void> {
    await deleteRunObjects(clients, {
      runId: o.runId,
      registry,
      dryRun: false,
      timeoutMs: Math.max(readyMs, 120_000),
      intervalMs: interval,
    });
    states.clear();
  }

  return {
    name: 'kubernetes',
    describe: async (): Promise<PlatformDescription> => describeProxies(modeDefs, info),
    up,
    load,
    sampler,
    down,
    // One namespace per mode: every mode can be up at once, so cells interleave.
    canHoldAllModes: () => ({ ok: true }),
    environment: () => info,
    engine: () => Promise.resolve({ name: 'k6', version: imageTag(o.settings.k6Image) }),
    // The platform's own record changes as load pods come and go (addLoadPods); the runner gets a copy.
    topology: (deployment: Deployment): ModeTopologyRecord => structuredClone(deployment.topology),
  };
}

export type { K8sObject };
