import type { MeshKind, ModeDefinition } from '../../modes/mode.js';

/** Kinds are keyed by apiVersion and kind together: two meshes may both call a kind `Mesh`. */
export function kindKey(o: { apiVersion: string; kind: string }): string {
  return `${o.apiVersion} ${o.kind}`;
}

/** Every kind the given modes declare, once each, in declaration order. */
export function declaredKinds(modes: Iterable<ModeDefinition>): MeshKind[] {
  const out = new Map<string, MeshKind>();
  for (const m of modes)
    for (const k of m.kubernetes.kinds ?? []) if (!out.has(kindKey(k))) out.set(kindKey(k), k);
  return [...out.values()];
}

/** The mode's declaration of an object's kind (undefined: not one of its mesh kinds). */
export function kindOf(mode: ModeDefinition, o: { apiVersion: string; kind: string }): MeshKind | undefined {
  return (mode.kubernetes.kinds ?? []).find((k) => kindKey(k) === kindKey(o));
}

export function groupVersion(apiVersion: string): { group: string; version: string } {
  const [group = '', version = ''] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group, version };
}
