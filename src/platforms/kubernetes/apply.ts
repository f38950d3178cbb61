import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { apiErrorMessage } from './client.js';
import type { K8sObject } from './manifest-files.js';
import { FIELD_MANAGER } from './names.js';

export function objectRef(o: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? '?'} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

/**
 * Server-side apply, in order, with meshbench's field manager. `force` takes over fields another manager
 * set on objects of this run (e.g. after an interrupted run with the same id); every object is labelled
 * with the run, and nothing outside it is applied to.
 */
export async function applyAll(
  clients: KubeClients,
  objects: K8sObject[],
  signal?: AbortSignal,
): Promise<KubernetesObject[]> {
  const out: KubernetesObject[] = [];
  for (const obj of objects) {
    signal?.throwIfAborted();
    try {
      // The client mutates the object it is given (it fills a default namespace): hand it a copy.
      const body = structuredClone(obj) as KubernetesObject;
      out.push(
        await clients.objects.patch(
          body,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        ),
      );
    } catch (e) {
      throw new Error(`applying ${objectRef(obj)} failed: ${apiErrorMessage(e)}`, { cause: e });
    }
  }
  return out;
}
