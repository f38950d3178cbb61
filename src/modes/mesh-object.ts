import type { K8sObject } from '../platforms/kubernetes/manifest-files.js';
import type { MeshRun } from './mode.js';

/**
 * A mesh object from manifests/<path> for one run: named, in the run's namespace unless cluster-scoped, and
 * labelled with the run (teardown finds cluster-scoped objects by these labels) before any `labels` of its own.
 */
export function meshObject(
  run: MeshRun,
  path: string,
  o: { namespaced: boolean; name?: string; namespace?: string; labels?: Record<string, string> },
): K8sObject {
  const obj = run.manifest(path);
  obj.metadata = {
    ...obj.metadata,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.namespaced ? { namespace: o.namespace ?? run.namespace } : {}),
    labels: { ...obj.metadata.labels, ...run.labels, ...o.labels },
  };
  return obj;
}

/** A nested object of a manifest (it must exist: the base files in manifests/ define the shape). */
export function field(obj: unknown, ...path: string[]): Record<string, unknown> {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) throw new Error(`manifest has no ${path.join('.')}`);
    cur = (cur as Record<string, unknown>)[p];
  }
  if (typeof cur !== 'object' || cur === null) throw new Error(`manifest has no ${path.join('.')}`);
  return cur as Record<string, unknown>;
}
