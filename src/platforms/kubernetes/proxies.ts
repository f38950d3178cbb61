import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ModeDefinition } from '../../modes/mode.js';
import type { PodInfo, ProxyInfo, ProxyResources } from '../../results/schema.js';
import type { LiveProxy } from '../platform.js';
import { cpuMillicores, memMiB } from '../../units/quantity.js';
import { allContainers } from './verify-enrolment.js';

/** The tag of a container image (`docker.io/istio/proxyv2:1.26.0` -> `1.26.0`), without a digest. */
export function imageTag(image: string | undefined): string {
  if (!image) return 'unknown';
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : 'latest';
}

function resources(map: Record<string, string> | undefined): ProxyResources | undefined {
  if (!map) return undefined;
  const out: ProxyResources = {};
  if (map.cpu !== undefined) out.cpuMillicores = cpuMillicores(map.cpu);
  if (map.memory !== undefined) out.memMiB = memMiB(map.memory);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Requests and limits of a proxy container, read from its pod spec (what the scheduler reserves for it). */
export function containerResources(c: V1Container): Pick<ProxyInfo, 'requests' | 'limits'> {
  const requests = resources(c.resources?.requests as Record<string, string> | undefined);
  const limits = resources(c.resources?.limits as Record<string, string> | undefined);
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

function liveProxy(
  info: Omit<ProxyInfo, 'implementation' | 'node' | 'pod'>,
  pod: V1Pod,
  c: V1Container,
  implementation: string,
): LiveProxy {
  const node = pod.spec?.nodeName ?? 'unknown';
  const name = pod.metadata?.name ?? '?';
  return {
    info: {
      ...info,
      node,
      ...(info.scope === 'pod' ? { pod: name } : {}),
      implementation: `${implementation} ${imageTag(c.image)}`,
      ...containerResources(c),
    },
    locator: {
      kind: 'container',
      namespace: pod.metadata?.namespace ?? '',
      pod: name,
      container: c.name,
      node,
    },
  };
}

function findContainer(pod: V1Pod, name: string): V1Container | undefined {
  return allContainers(pod).find((c) => c.name === name);
}

/** One sidecar per pod that has the mode's proxy container: server pods at up(), load pods at load(). */
export function sidecarProxies(
  mode: ModeDefinition,
  pods: V1Pod[],
  role: 'server-sidecar' | 'client-sidecar',
): LiveProxy[] {
  const out: LiveProxy[] = [];
  const sorted = [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  sorted.forEach((pod, i) => {
    for (const name of mode.kubernetes.sidecarContainers) {
      const c = findContainer(pod, name);
      if (!c) continue;
      const id = role === 'client-sidecar' && sorted.length === 1 ? 'client-sidecar' : `${role}-${i + 1}`;
      out.push(liveProxy({ id, role, scope: 'pod' }, pod, c, mode.kubernetes.sidecarImplementation ?? name));
    }
  });
  return out;
}

/** Node proxies (ztunnel) on the given nodes only: those that carry this run's traffic; ids `<name>-<node>`. */
export function nodeProxies(mode: ModeDefinition, candidates: V1Pod[], nodes: Set<string>): LiveProxy[] {
  const sel = mode.kubernetes.sharedProxies?.nodeProxy;
  if (!sel || !mode.topology.nodeProxy) return [];
  return candidates
    .filter((p) => p.spec?.nodeName !== undefined && nodes.has(p.spec.nodeName))
    .flatMap((p) => {
      const c = findContainer(p, sel.container);
      return c
        ? [
            liveProxy(
              { id: `${sel.name}-${p.spec?.nodeName ?? ''}`, role: 'node-proxy', scope: 'node' },
              p,
              c,
              sel.implementation,
            ),
          ]
        : [];
    });
}

export function waypointProxies(mode: ModeDefinition, pods: V1Pod[]): LiveProxy[] {
  const sel = mode.kubernetes.sharedProxies?.waypoint;
  if (!sel || !mode.topology.waypoint) return [];
  const sorted = [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return sorted.flatMap((p, i) => {
    const c = findContainer(p, sel.container);
    return c
      ? [
          liveProxy(
            {
              id: sorted.length === 1 ? sel.name : `${sel.name}-${i + 1}`,
              role: 'waypoint',
              scope: 'namespace',
            },
            p,
            c,
            sel.implementation,
          ),
        ]
      : [];
  });
}

export function podInfos(pods: V1Pod[], role: 'client' | 'server'): PodInfo[] {
  return pods.map((p) => ({ name: p.metadata?.name ?? '?', role, node: p.spec?.nodeName ?? 'unknown' }));
}

/** The request path as hops, like the local platform's: ["client", "envoy:client-sidecar(l7)", "mTLS", ...]. */
export function clusterPath(mode: ModeDefinition): string[] {
  const t = mode.topology;
  const k = mode.kubernetes;
  const first = (implementation: string | undefined, fallback: string) =>
    implementation?.split(' ')[0] ?? fallback;
  const impl = first(k.sidecarImplementation, 'proxy');
  const node = k.sharedProxies?.nodeProxy?.name ?? 'node-proxy';
  const layer = t.sidecar?.layer ?? 'l7';
  const path = ['client'];
  if (t.sidecar) path.push(`${impl}:client-sidecar(${layer})`);
  if (t.nodeProxy) path.push(`${node}:${node}-outbound(l4)`);
  if (t.waypoint)
    path.push('mTLS', `${first(k.sharedProxies?.waypoint?.implementation, 'proxy')}:waypoint(l7)`);
  if (t.nodeProxy) path.push('mTLS', `${node}:${node}-inbound(l4)`);
  if (t.sidecar) {
    if (t.sidecar.mtls) path.push(t.sidecar.between === 'h2' ? 'mTLS (h2)' : 'mTLS');
    path.push(`${impl}:server-sidecar(${layer})`);
  }
  path.push('app');
  return path;
}
