import type { V1DaemonSet, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { apiErrorMessage, isNotFound } from './client.js';
import { diagnose } from './diagnose.js';
import { groupVersion } from './mesh-kinds.js';
import type { K8sObject } from './manifest-files.js';
import { pollUntil } from './poll.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

/** Generic readiness (shared/reference/mesh-modes.md): observed the latest generation, every replica available. */
export function deploymentReady(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status;
  return (
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s?.availableReplicas ?? 0) >= want &&
    (s?.updatedReplicas ?? 0) >= want
  );
}

export function daemonSetReady(ds: V1DaemonSet): boolean {
  const s = ds.status;
  return s !== undefined && s.desiredNumberScheduled > 0 && s.numberReady === s.desiredNumberScheduled;
}

export function podReady(p: V1Pod): boolean {
  return (
    p.metadata?.deletionTimestamp === undefined &&
    (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

export function conditionTrue(obj: unknown, type: string): boolean {
  const conditions =
    (obj as { status?: { conditions?: { type?: string; status?: string }[] } }).status?.conditions ?? [];
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** A custom resource that reports readiness as a status condition (a mode's `MeshKind.ready`). */
export interface ReadyRule {
  plural: string;
  condition: string;
}

export async function readCustomObject(
  clients: KubeClients,
  o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } },
  plural: string,
): Promise<unknown> {
  const { group, version } = groupVersion(o.apiVersion);
  return o.metadata.namespace
    ? clients.custom.getNamespacedCustomObject({
        group,
        version,
        namespace: o.metadata.namespace,
        plural,
        name: o.metadata.name,
      })
    : clients.custom.getClusterCustomObject({ group, version, plural, name: o.metadata.name });
}

async function failNotReady(
  clients: KubeClients,
  what: string,
  namespace: string,
  o: WaitOptions,
  selector?: string,
): Promise<never> {
  const detail = await diagnose(clients, namespace, selector);
  throw new Error(
    `${what} was not ready within ${Math.round(o.timeoutMs / 1000)} s (kubernetes.readyTimeoutSec)\n${detail}`,
  );
}

/** Waits until a Deployment is available and each of its pods (selected by its selector) is Ready. */
export async function waitForDeployment(
  clients: KubeClients,
  namespace: string,
  name: string,
  o: WaitOptions,
): Promise<V1Pod[]> {
  let lastError = '';
  const pods = await pollUntil(async () => {
    try {
      const d = await clients.apps.readNamespacedDeployment({ name, namespace });
      if (!deploymentReady(d)) return undefined;
      const selector = Object.entries(d.spec?.selector.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const list = await clients.core.listNamespacedPod({ namespace, labelSelector: selector });
      const live = list.items.filter((p) => p.metadata?.deletionTimestamp === undefined);
      const want = d.spec?.replicas ?? 1;
      return live.length === want && live.every(podReady) ? live : undefined;
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(`reading Deployment ${namespace}/${name} failed: ${apiErrorMessage(e)}`, {
          cause: e,
        });
      lastError = 'not created yet';
      return undefined;
    }
  }, o);
  if (pods) return pods;
  return failNotReady(
    clients,
    `Deployment ${namespace}/${name}${lastError ? ` (${lastError})` : ''}`,
    namespace,
    o,
  );
}

/** Waits until a custom resource reports the readiness condition its mode declares True. */
export async function waitForCondition(
  clients: KubeClients,
  obj: K8sObject,
  rc: ReadyRule,
  namespaceForDiagnosis: string,
  o: WaitOptions,
): Promise<void> {
  const ok = await pollUntil(async () => {
    try {
      return conditionTrue(await readCustomObject(clients, obj, rc.plural), rc.condition) ? true : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw new Error(`reading ${obj.kind} ${obj.metadata.name} failed: ${apiErrorMessage(e)}`, { cause: e });
    }
  }, o);
  if (!ok)
    await failNotReady(
      clients,
      `${obj.kind} ${obj.metadata.name} (condition ${rc.condition})`,
      namespaceForDiagnosis,
      o,
    );
}
