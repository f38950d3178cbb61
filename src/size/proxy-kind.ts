import type { ModeDefinition, ProxyRole, ProxyScope } from '../modes/mode.js';

/**
 * What `size` models: one kind per scope of proxy. Client and server sidecars are one kind: both are the
 * pod's own proxy and do the same work per request (parse it, forward it), so their measurements are pooled.
 */
export type ProxyKind = 'sidecar' | 'node-proxy' | 'waypoint';

export const PROXY_KINDS: readonly ProxyKind[] = ['sidecar', 'node-proxy', 'waypoint'];

export function kindOfRole(role: ProxyRole | 'unknown'): ProxyKind | null {
  switch (role) {
    case 'client-sidecar':
    case 'server-sidecar':
      return 'sidecar';
    case 'node-proxy':
      return 'node-proxy';
    case 'waypoint':
      return 'waypoint';
    default:
      return null;
  }
}

export function scopeOfKind(kind: ProxyKind): ProxyScope {
  return kind === 'sidecar' ? 'pod' : kind === 'node-proxy' ? 'node' : 'namespace';
}

/** The proxies a mode puts in front of an inventory's services, from its topology (data in the mode file). */
export function kindsOfMode(mode: ModeDefinition): ProxyKind[] {
  const t = mode.topology;
  return [
    ...(t.sidecar ? ['sidecar' as const] : []),
    ...(t.nodeProxy ? ['node-proxy' as const] : []),
    ...(t.waypoint ? ['waypoint' as const] : []),
  ];
}

/** "sidecar", "node proxy (ztunnel)", "waypoint": for tables. */
export function kindLabel(kind: ProxyKind): string {
  return kind === 'node-proxy' ? 'node proxy' : kind;
}

/** What the proxy is sized against: the RPS through one pod, one node or one namespace. */
export function rpsBasis(kind: ProxyKind): string {
  return kind === 'sidecar'
    ? 'RPS through the pod'
    : kind === 'node-proxy'
      ? 'RPS through the node'
      : 'RPS into the namespace';
}
