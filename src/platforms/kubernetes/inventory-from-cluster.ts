import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Container,
  type V1Deployment,
  type V1LabelSelector,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { UserError } from '../../errors.js';
import { getMode } from '../../modes/registry.js';
import { apiErrorMessage } from './client.js';
import { cpuMillicores, memMiB } from '../../units/quantity.js';
import {
  serviceKey,
  type ContainerResources,
  type EnvoyToday,
  type Inventory,
  type InventoryService,
  type NodePool,
  type PlacedNode,
} from '../../size/inventory.js';
import type { RpsEntry } from '../../size/rps-file.js';

/**
 * `size --from-cluster`: the inventory read from the current kubeconfig's cluster. For each Deployment the
 * RPS file lists: its replicas, where its pods run, and its App Mesh Envoy's requests and limits (the
 * container App Mesh injects, named in the appmesh mode file). Every node counts, since a node proxy
 * (ztunnel) is a DaemonSet on all of them. Read-only: list calls only.
 */

const PAGE = 500;

/** Follows `continue` tokens so that large clusters are read whole. */
async function listAll<T>(
  what: string,
  page: (cont: string | undefined) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
): Promise<T[]> {
  const items: T[] = [];
  let cont: string | undefined;
  try {
    do {
      const r = await page(cont);
      items.push(...r.items);
      cont = r.metadata?._continue || undefined;
    } while (cont);
  } catch (e) {
    throw new UserError(
      `cannot list ${what} in the cluster: ${apiErrorMessage(e)}`,
      [],
      `check access with \`kubectl get ${what} --all-namespaces\` against the current context (or KUBECONFIG)`,
    );
  }
  return items;
}

/** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
export function selects(sel: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(value as string))) return false;
    if (e.operator === 'NotIn' && has && values.includes(value as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) > 0;
}

function resourcesOf(c: V1Container): {
  requests: { cpuMillicores: number; memMiB: number };
  limits: ContainerResources;
} {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const limits: ContainerResources = {
    ...(lim.cpu !== undefined ? { cpuMillicores: cpuMillicores(lim.cpu) } : {}),
    ...(lim.memory !== undefined ? { memMiB: memMiB(lim.memory) } : {}),
  };
  // Kubernetes defaults an unset request to the limit; with neither the container requests nothing.
  return {
    requests: {
      cpuMillicores: req.cpu !== undefined ? cpuMillicores(req.cpu) : (limits.cpuMillicores ?? 0),
      memMiB: req.memory !== undefined ? memMiB(req.memory) : (limits.memMiB ?? 0),
    },
    limits,
  };
}

function envoyContainer(pod: V1Pod, names: readonly string[]): V1Container | undefined {
  const spec = pod.spec;
  return [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ].find((c) => names.includes(c.name));
}

function instanceTypeOf(node: V1Node | undefined): string | null {
  const l = node?.metadata?.labels ?? {};
  return l['node.kubernetes.io/instance-type'] ?? l['beta.kubernetes.io/instance-type'] ?? null;
}

function mostCommon<T>(xs: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

const live = (p: V1Pod) =>
  !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

export async function inventoryFromCluster(kc: KubeConfig, rps: readonly RpsEntry[]): Promise<Inventory> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const deployments = await listAll<V1Deployment>('deployments', (c) =>
    apps.listDeploymentForAllNamespaces({ limit: PAGE, _continue: c }),
  );
  const pods = (
    await listAll<V1Pod>('pods', (c) => core.listPodForAllNamespaces({ limit: PAGE, _continue: c }))
  ).filter(live);
  const nodes = await listAll<V1Node>('nodes', (c) => core.listNode({ limit: PAGE, _continue: c }));
  const envoyNames = getMode('appmesh').kubernetes.sidecarContainers;
  const nodeByName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));

  const missing = rps.filter(
    (e) => !deployments.some((d) => d.metadata?.namespace === e.namespace && d.metadata?.name === e.name),
  );
  if (missing.length > 0) {
    throw new UserError(
      `the RPS file names ${missing.length} Deployment${missing.length > 1 ? 's' : ''} the cluster does not have (context ${kc.getCurrentContext()})`,
      missing.map((e) => `${e.origin}: no Deployment ${e.name} in namespace ${e.namespace}`),
      'check the names with `kubectl get deployments --all-namespaces`, or switch context',
    );
  }

  const notes: string[] = [];
  const services: InventoryService[] = [];
  const podsOf = new Map<string, V1Pod[]>();
  for (const e of rps) {
    const d = deployments.find(
      (x) => x.metadata?.namespace === e.namespace && x.metadata?.name === e.name,
    ) as V1Deployment;
    const key = serviceKey(e);
    const replicas = d.spec?.replicas ?? 1; // apps/v1 defaults an unset replicas to 1
    if (replicas === 0) {
      notes.push(`${key} is scaled to zero: not sized`);
      continue;
    }
    const mine = pods.filter(
      (p) => p.metadata?.namespace === e.namespace && selects(d.spec?.selector, p.metadata?.labels ?? {}),
    );
    const scheduled = mine.filter((p) => p.spec?.nodeName);
    if (scheduled.length !== replicas) {
      notes.push(
        `${key}: ${scheduled.length} scheduled pod${scheduled.length === 1 ? '' : 's'} for ${replicas} replicas (rollout or scaling in progress?); node RPS counts the pods that run now`,
      );
    }
    podsOf.set(key, scheduled);
    const withEnvoy = mine
      .map((p) => envoyContainer(p, envoyNames))
      .filter((c): c is V1Container => c !== undefined);
    let envoy: EnvoyToday;
    if (withEnvoy.length === 0) {
      envoy = { source: 'none', requests: { cpuMillicores: 0, memMiB: 0 }, limits: {}, assumed: [] };
    } else {
      const shapes = withEnvoy.map((c) => JSON.stringify(c.resources ?? {}));
      const common = mostCommon(shapes);
      if (new Set(shapes).size > 1)
        notes.push(`${key}: its pods' Envoys differ in resources (rollout?); the most common is used`);
      envoy = {
        source: 'cluster',
        ...resourcesOf(withEnvoy[shapes.indexOf(common as string)] as V1Container),
        assumed: [],
      };
    }
    const podNodes = scheduled.map((p) => p.spec?.nodeName as string);
    services.push({
      namespace: e.namespace,
      name: e.name,
      replicas,
      peakRpsPerPod: e.peakRpsPerPod,
      avgRpsPerPod: e.avgRpsPerPod,
      instanceType: mostCommon(podNodes.map((n) => instanceTypeOf(nodeByName.get(n)))) ?? null,
      nodes: Math.max(1, new Set(podNodes).size),
      envoy,
      origin: `cluster (${e.origin} in the RPS file)`,
    });
  }

  const placed: PlacedNode[] = nodes.map((n) => {
    const name = n.metadata?.name ?? '?';
    const counts = services.flatMap((s) => {
      const count = (podsOf.get(serviceKey(s)) ?? []).filter((p) => p.spec?.nodeName === name).length;
      return count > 0 ? [{ service: serviceKey(s), count }] : [];
    });
    return { name, instanceType: instanceTypeOf(n), pods: counts };
  });
  const pools: NodePool[] = [];
  for (const n of placed) {
    const pool = pools.find((p) => p.instanceType === n.instanceType);
    if (pool) pool.nodes++;
    else pools.push({ instanceType: n.instanceType, nodes: 1 });
  }
  const others = deployments.length - rps.length;
  if (others > 0)
    notes.push(
      `${others} other Deployment${others === 1 ? '' : 's'} in the cluster not in the RPS file: not sized`,
    );
  if (services.length === 0) {
    throw new UserError(
      'nothing to size: every Deployment in the RPS file is scaled to zero',
      notes,
      'list Deployments that run pods',
    );
  }
  return {
    source: `cluster ${kc.getCurrentContext()}`,
    services,
    nodes: placed,
    pools,
    placement: 'observed',
    notes,
  };
}
