import type { KubeConfig } from '@kubernetes/client-node';
import type { MeshKind } from '../../modes/mode.js';
import { modes as defaultModes, type ModeRegistry } from '../../modes/registry.js';
import type { KubeClients } from './client.js';
import { apiErrorMessage, isNotFound, loadKubeConfig, makeClients } from './client.js';
import { declaredKinds, groupVersion } from './mesh-kinds.js';
import { runSelector } from './names.js';
import { pollUntil } from './poll.js';

export interface TeardownOptions {
  /** Only this run's objects; every meshbench run's when absent. */
  runId?: string;
  /** List what would be deleted, delete nothing. */
  dryRun: boolean;
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Modes whose mesh kinds are looked for (default: every registered mode, since cleanup may follow a crash). */
  registry?: ModeRegistry;
}

/** A mesh object outside the run's namespaces: cluster-scoped, or in a mesh's own namespace. */
interface OutsideObject {
  kind: MeshKind;
  name: string;
  namespace?: string;
}

/** Kinds whose objects do not go with the run's namespaces, so teardown deletes them by label. */
function kindsOutsideNamespaces(registry: ModeRegistry): MeshKind[] {
  return declaredKinds(registry.values()).filter((k) => !k.namespaced || k.outsideRunNamespace);
}

async function listOutside(
  clients: KubeClients,
  kinds: MeshKind[],
  selector: string,
): Promise<OutsideObject[]> {
  const out: OutsideObject[] = [];
  for (const kind of kinds) {
    const { group, version } = groupVersion(kind.apiVersion);
    try {
      // For a namespaced kind the cluster-wide path lists it in every namespace.
      const list = (await clients.custom.listClusterCustomObject({
        group,
        version,
        plural: kind.plural,
        labelSelector: selector,
      })) as { items?: { metadata?: { name?: string; namespace?: string } }[] };
      for (const o of list.items ?? [])
        if (o.metadata?.name)
          out.push({
            kind,
            name: o.metadata.name,
            ...(kind.namespaced && o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          });
    } catch (e) {
      // That mesh's CRDs are not installed in this cluster: nothing of that kind can exist.
      if (isNotFound(e)) continue;
      throw e;
    }
  }
  return out;
}

const describe = (o: OutsideObject) => `${o.kind.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

async function deleteOutside(clients: KubeClients, o: OutsideObject): Promise<void> {
  const { group, version } = groupVersion(o.kind.apiVersion);
  const ref = { group, version, plural: o.kind.plural, name: o.name };
  try {
    if (o.namespace) await clients.custom.deleteNamespacedCustomObject({ ...ref, namespace: o.namespace });
    else await clients.custom.deleteClusterCustomObject(ref);
  } catch (e) {
    if (!isNotFound(e))
      throw new Error(`deleting ${describe(o)} failed: ${apiErrorMessage(e)}`, { cause: e });
  }
}

/**
 * Deletes what carries the run's labels, and only that: its namespaces (which take every namespaced object of
 * the run with them), then the mesh objects outside them (cluster-scoped ones such as a Mesh, and objects in
 * a mesh's own namespace), of every kind a registered mode declares. Namespaces go first and are waited for,
 * so that a mesh's controller removes what hangs off a Mesh before the Mesh. Returns what it deleted (or would).
 */
export async function deleteRunObjects(
  clients: KubeClients,
  o: TeardownOptions,
): Promise<{ objects: string[] }> {
  const selector = runSelector(o.runId);
  const timeoutMs = o.timeoutMs ?? 300_000;
  const intervalMs = o.intervalMs ?? 1000;
  const kinds = kindsOutsideNamespaces(o.registry ?? defaultModes);
  const namespaces = (await clients.core.listNamespace({ labelSelector: selector })).items.flatMap((n) =>
    n.metadata?.name ? [n.metadata.name] : [],
  );
  const outside = await listOutside(clients, kinds, selector);
  const objects = [...namespaces.map((n) => `Namespace ${n}`), ...outside.map(describe)];
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
  for (const obj of outside) await deleteOutside(clients, obj);
  if (outside.length > 0) {
    const outsideGone = await pollUntil(
      async () => ((await listOutside(clients, kinds, selector)).length === 0 ? true : undefined),
      poll,
    );
    if (!outsideGone)
      throw new Error(
        `mesh objects still present after ${Math.round(timeoutMs / 1000)} s: ${(await listOutside(clients, kinds, selector)).map(describe).join(', ')}`,
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
