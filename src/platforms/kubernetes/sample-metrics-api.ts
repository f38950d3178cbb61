import type { PodMetric } from '@kubernetes/client-node';
import type { LiveProxy } from '../platform.js';
import type { KubeClients } from './client.js';
import { cpuMillicores, memMiB } from '../../units/quantity.js';

/** One proxy's usage as metrics.k8s.io reports it: CPU is a rate over `window` ending at `timestamp`. */
export interface UsageReading {
  proxyId: string;
  /** metrics-server's own timestamp (end of its window), as reported. */
  timestamp: string;
  cpuMillicores: number;
  memMiB: number;
}

type ContainerLocator = Extract<LiveProxy['locator'], { kind: 'container' }>;

function locatorOf(p: LiveProxy): ContainerLocator | undefined {
  return p.locator.kind === 'container' ? p.locator : undefined;
}

/** Matches pod metrics to proxies (namespace, pod, container). Pure. */
export function readingsFromPodMetrics(items: PodMetric[], proxies: LiveProxy[]): UsageReading[] {
  const out: UsageReading[] = [];
  for (const p of proxies) {
    const loc = locatorOf(p);
    if (!loc) continue;
    const pm = items.find(
      (i) =>
        i.metadata.name === loc.pod &&
        (i.metadata.namespace === undefined || i.metadata.namespace === loc.namespace),
    );
    const c = pm?.containers.find((x) => x.name === loc.container);
    if (!pm || !c) continue;
    out.push({
      proxyId: p.info.id,
      timestamp: pm.timestamp,
      cpuMillicores: cpuMillicores(c.usage.cpu),
      memMiB: memMiB(c.usage.memory),
    });
  }
  return out;
}

/** Current usage of every proxy: one metrics.k8s.io call per namespace the proxies live in. */
export async function readMetricsApi(clients: KubeClients, proxies: LiveProxy[]): Promise<UsageReading[]> {
  const namespaces = [...new Set(proxies.map(locatorOf).flatMap((l) => (l ? [l.namespace] : [])))];
  const out: UsageReading[] = [];
  for (const ns of namespaces) {
    const list = await clients.metrics.getPodMetrics(ns);
    out.push(
      ...readingsFromPodMetrics(
        list.items,
        proxies.filter((p) => locatorOf(p)?.namespace === ns),
      ),
    );
  }
  return out;
}

/**
 * Keeps a reading only when metrics-server has produced a new one for that proxy: it computes usage once per
 * resolution (15 s by default), and polling in between returns the same point again. Pure; `seen` is
 * updated with the timestamps kept.
 */
export function dropRepeated(readings: UsageReading[], seen: Map<string, string>): UsageReading[] {
  return readings.filter((r) => {
    if (seen.get(r.proxyId) === r.timestamp) return false;
    seen.set(r.proxyId, r.timestamp);
    return true;
  });
}
