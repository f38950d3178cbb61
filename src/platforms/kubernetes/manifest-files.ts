import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A Kubernetes object as plain data: what the renderers build and the API receives. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

// manifests/ sits at the package root: three levels up from both src/platforms/kubernetes/ (sources, tsx)
// and dist/platforms/kubernetes/ (compiled; tsconfig.build.json has rootDir src).
const ROOT = new URL('../../../manifests/', import.meta.url);
const cache = new Map<string, K8sObject>();

/** A base object from manifests/<path>, as a fresh deep copy the caller may change. */
export function baseManifest(path: string): K8sObject {
  let obj = cache.get(path);
  if (!obj) {
    const parsed = parse(readFileSync(new URL(path, ROOT), 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || !('kind' in parsed) || !('metadata' in parsed)) {
      throw new Error(`manifests/${path} is not a Kubernetes object`);
    }
    obj = parsed as K8sObject;
    cache.set(path, obj);
  }
  return structuredClone(obj);
}

/** Reads a nested field (object path) of a manifest, for the renderers' small edits. */
export function at<T = Record<string, unknown>>(obj: unknown, ...path: (string | number)[]): T {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) throw new Error(`manifest has no ${path.join('.')}`);
    cur = (cur as Record<string | number, unknown>)[p];
  }
  if (cur === undefined) throw new Error(`manifest has no ${path.join('.')}`);
  return cur as T;
}
