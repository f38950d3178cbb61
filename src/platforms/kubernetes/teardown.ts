import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { apiErrorMessage, isNotFound, loadKubeConfig, makeClients } from './client.js';
import { runSelector } from './names.js';
import { pollUntil } from './poll.js';

const MESH = { group: 'appmesh.k8s.aws', version: 'v1beta2', plural: 'meshes' };

export interface TeardownOptions {
  /** Only this run's objects; every meshbench run's when absent. */
  runId?: string;
  /** List what would be deleted, delete nothing. */
  dryRun: boolean;
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

async function listMeshes(clients: KubeClients, selector: string): Promise<string[]> {
  try {
    const list = (await clients.custom.listClusterCustomObject({ ...MESH, labelSelector: selector })) as {
      items?: { metadata?: { name?: string } }[];
    };
    return (list.items ?? []).flatMap((m) => (m.metadata?.name ? [m.metadata.name] : []));
  } catch (e) {
    // No App Mesh CRDs in this cluster: nothing of that kind can exist.
    if (isNotFound(e)) return [];
    throw e;
  }
}

/**
 * Deletes what carries the run's labels, and only that: its namespaces (which take every namespaced object of
 * the run with them) and its cluster-scoped App Mesh meshes. Namespaces go first and are waited for, so that
 * App Mesh's controller removes the VirtualNodes before their Mesh. Returns what it deleted (or would).
 */
export async function deleteRunObjects(
  clients: KubeClients,
  o: TeardownOptions,
): Promise<{ objects: string[] }> {
  const selector = runSelector(o.runId);
  const timeoutMs = o.timeoutMs ?? 300_000;
  const intervalMs = o.intervalMs ?? 1000;
  const namespaces = (await clients.core.listNamespace({ labelSelector: selector })).items.flatMap((n) =>
    n.metadata?.name ? [n.metadata.name] : [],
  );
  const meshes = await listMeshes(clients, selector);
  const objects = [...namespaces.map((n) => `Namespace ${n}`), ...meshes.map((m) => `Mesh ${m}`)];
  if (o.dryRun) return { objects };

  for (const name of namespaces) {
    try {
      await clients.core.deleteNamespace({ name });
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(`deleting namespace ${name} failed: ${apiErrorMessage(e)}`, { cause: e });
    }
  }
  const poll = { timeoutMs, intervalMs, ...(o.signal ? { signal: o.signal } : {}) };
  const gone = await pollUntil(
    async () =>
      (await clients.core.listNamespace({ labelSelector: selector })).items.length === 0 ? true : undefined,
    poll,
  );
  if (!gone) {
    const left = (await clients.core.listNamespace({ labelSelector: selector })).items.map(
      (n) => `${n.metadata?.name ?? '?'} (${n.status?.phase ?? '?'})`,
    );
    throw new Error(
      `namespaces still present after ${Math.round(timeoutMs / 1000)} s: ${left.join(', ')}; a finalizer may be stuck: kubectl get ns <name> -o yaml`,
    );
  }
  for (const name of meshes) {
    try {
      await clients.custom.deleteClusterCustomObject({ ...MESH, name });
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(`deleting Mesh ${name} failed: ${apiErrorMessage(e)}`, { cause: e });
    }
  }
  if (meshes.length > 0) {
    const meshesGone = await pollUntil(
      async () => ((await listMeshes(clients, selector)).length === 0 ? true : undefined),
      poll,
    );
    if (!meshesGone)
      throw new Error(
        `App Mesh meshes still present after ${Math.round(timeoutMs / 1000)} s: ${(await listMeshes(clients, selector)).join(', ')}`,
      );
  }
  return { objects };
}

/**
 * `meshbench cleanup [--run <id>]`: finds objects by label from a fresh process (after a crash, too). Call it
 * with dryRun first to list what it will delete.
 */
export async function cleanupKubernetes(o: {
  runId?: string;
  context?: string;
  dryRun: boolean;
  kubeConfig?: KubeConfig;
  signal?: AbortSignal;
  intervalMs?: number;
}): Promise<{ objects: string[] }> {
  const kc = o.kubeConfig ?? loadKubeConfig(o.context);
  return deleteRunObjects(makeClients(kc), {
    dryRun: o.dryRun,
    ...(o.runId !== undefined ? { runId: o.runId } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
  });
}
