import type { ProxySamplePoint, ProxySamples } from '../../results/schema.js';
import type { LiveProxy, Sampler } from '../platform.js';
import type { KubeClients } from './client.js';
import { dropRepeated, readMetricsApi, type UsageReading } from './sample-metrics-api.js';
import { readPrometheusRange } from './sample-prometheus.js';

export interface Usage {
  cpuMillicores: number;
  memMiB: number;
}

export interface ClusterSamplerOptions {
  clients: KubeClients;
  /** Prometheus base URL; metrics.k8s.io when absent. */
  prometheusUrl?: string;
  /** The deployment's proxies, read at every poll (load pods' sidecars and ztunnels join during load). */
  proxies: () => LiveProxy[];
  /** Idle usage of shared (node) proxies taken before any load, subtracted from their readings. */
  idle: ReadonlyMap<string, Usage>;
  intervalMs: number;
  now?: () => number;
}

/**
 * A reading minus the proxy's idle reading, never below zero: what the run's traffic added to a node proxy
 * that also serves other workloads. Proxies without an idle reading (sidecars, waypoints) are charged in full.
 */
export function subtractIdle(u: Usage, idle: Usage | undefined): Usage {
  if (!idle) return u;
  return {
    cpuMillicores: Math.max(0, u.cpuMillicores - idle.cpuMillicores),
    memMiB: Math.max(0, u.memMiB - idle.memMiB),
  };
}

function series(proxies: LiveProxy[], points: Map<string, ProxySamplePoint[]>): ProxySamples[] {
  return proxies.map((p) => ({ proxyId: p.info.id, points: points.get(p.info.id) ?? [] }));
}

/**
 * Samples proxies over the measure window only. metrics.k8s.io: polled every `intervalMs`; the reading present
 * when the window opens describes the time before it and is only used to recognise repeats; each later new
 * reading is kept, timed by when it arrived. Prometheus: range queries over [start, stop] when the window
 * closes. A failed read leaves a gap instead of failing the cell (the cell's latency is still valid).
 */
export function createClusterSampler(o: ClusterSamplerOptions): Sampler {
  const now = o.now ?? Date.now;
  let t0 = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const seen = new Map<string, string>();
  const points = new Map<string, ProxySamplePoint[]>();
  let primed = false;

  const keep = (readings: UsageReading[], at: number): void => {
    for (const r of readings) {
      const u = subtractIdle(r, o.idle.get(r.proxyId));
      const list = points.get(r.proxyId) ?? [];
      list.push({ tMs: at - t0, ...u });
      points.set(r.proxyId, list);
    }
  };

  const poll = (): void => {
    inFlight = inFlight.then(async () => {
      try {
        const readings = await readMetricsApi(o.clients, o.proxies());
        const fresh = dropRepeated(readings, seen);
        if (primed) keep(fresh, now());
        primed = true;
      } catch {
        // A gap in the series; see the function comment.
      }
    });
  };

  return {
    start(): void {
      t0 = now();
      if (o.prometheusUrl !== undefined) return;
      poll();
      timer = setInterval(poll, o.intervalMs);
    },
    async stop(): Promise<ProxySamples[]> {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      const proxies = o.proxies();
      if (o.prometheusUrl !== undefined) {
        const end = now();
        try {
          const read = await readPrometheusRange(
            o.prometheusUrl,
            proxies,
            t0,
            end,
            Math.max(1, Math.round(o.intervalMs / 1000)),
          );
          for (const r of read) {
            const list = points.get(r.proxyId) ?? [];
            list.push({ tMs: r.atMs - t0, ...subtractIdle(r, o.idle.get(r.proxyId)) });
            points.set(r.proxyId, list);
          }
        } catch {
          // As above: no samples rather than a failed cell.
        }
        return series(proxies, points);
      }
      if (t0 !== 0) poll();
      await inFlight;
      return series(proxies, points);
    },
  };
}
