import type { LiveProxy } from '../platform.js';

/**
 * Proxy CPU and memory from Prometheus (cAdvisor metrics scraped from the kubelet), as range queries over
 * the measure window only. Queries follow shared/reference/mesh-modes.md: `rate(container_cpu_usage_seconds_total)`
 * and `container_memory_working_set_bytes`, selected by namespace, pod and container (never the pod-level
 * `container=""` or `container="POD"` series).
 */
export interface PromPoint {
  proxyId: string;
  /** Unix milliseconds of the sample. */
  atMs: number;
  cpuMillicores: number;
  memMiB: number;
}

interface PromMatrix {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[];
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Group = { namespace: string; container: string; proxies: LiveProxy[] };

function groups(proxies: LiveProxy[]): Group[] {
  const map = new Map<string, Group>();
  for (const p of proxies) {
    if (p.locator.kind !== 'container') continue;
    const key = `${p.locator.namespace}\u0000${p.locator.container}`;
    const g = map.get(key) ?? { namespace: p.locator.namespace, container: p.locator.container, proxies: [] };
    g.proxies.push(p);
    map.set(key, g);
  }
  return [...map.values()];
}

/** The two PromQL expressions for one (namespace, container) group of proxies. Pure. */
export function promQueries(
  g: { namespace: string; container: string; pods: string[] },
  rateWindowSec: number,
): { cpu: string; mem: string } {
  const sel = `namespace="${g.namespace}",container="${g.container}",pod=~"${g.pods.map(escapeRegex).join('|')}"`;
  return {
    cpu: `sum by (pod) (rate(container_cpu_usage_seconds_total{${sel}}[${rateWindowSec}s]))`,
    mem: `sum by (pod) (container_memory_working_set_bytes{${sel}})`,
  };
}

async function query(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  signal?: AbortSignal,
): Promise<PromMatrix['data']> {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams(params),
    ...(signal ? { signal } : {}),
  });
  const body = (await res.json()) as PromMatrix;
  if (!res.ok || body.status !== 'success')
    throw new Error(`Prometheus ${url.pathname}: ${body.error ?? `HTTP ${res.status}`}`);
  return body.data;
}

function byPod(data: PromMatrix['data']): Map<string, [number, string][]> {
  const out = new Map<string, [number, string][]>();
  for (const r of data?.result ?? []) {
    const pod = r.metric.pod;
    if (pod === undefined) continue;
    out.set(pod, r.values ?? (r.value ? [r.value] : []));
  }
  return out;
}

/**
 * Usage points of every proxy between startMs and endMs, one per `stepSec`. The CPU rate window is at least
 * 30 s because a rate needs two scrapes in its window and kubelet/cAdvisor is commonly scraped every 15 s;
 * points start one rate window after the measure start so that no point's window reaches back before it
 * (a window shorter than that yields one point, at its end, over the whole window).
 */
export async function readPrometheusRange(
  baseUrl: string,
  proxies: LiveProxy[],
  startMs: number,
  endMs: number,
  stepSec: number,
  signal?: AbortSignal,
): Promise<PromPoint[]> {
  const spanSec = Math.max(1, Math.floor((endMs - startMs) / 1000));
  const rateWindowSec = Math.min(spanSec, Math.max(30, 2 * stepSec));
  const first = Math.min(endMs, startMs + rateWindowSec * 1000) / 1000;
  const out: PromPoint[] = [];
  for (const g of groups(proxies)) {
    const pods = g.proxies.map((p) => (p.locator.kind === 'container' ? p.locator.pod : ''));
    const q = promQueries({ namespace: g.namespace, container: g.container, pods }, rateWindowSec);
    const range = { start: String(first), end: String(endMs / 1000), step: `${stepSec}s` };
    const cpu = byPod(await query(baseUrl, 'api/v1/query_range', { query: q.cpu, ...range }, signal));
    const mem = byPod(await query(baseUrl, 'api/v1/query_range', { query: q.mem, ...range }, signal));
    for (const p of g.proxies) {
      if (p.locator.kind !== 'container') continue;
      const memAt = new Map((mem.get(p.locator.pod) ?? []).map(([t, v]) => [t, Number(v)]));
      for (const [t, v] of cpu.get(p.locator.pod) ?? []) {
        out.push({
          proxyId: p.info.id,
          atMs: t * 1000,
          cpuMillicores: Number(v) * 1000,
          memMiB: (memAt.get(t) ?? NaN) / 2 ** 20,
        });
      }
    }
  }
  return out.filter((p) => Number.isFinite(p.cpuMillicores) && Number.isFinite(p.memMiB));
}

/** Current usage (rate over the last minute): the idle reading of shared proxies before load. */
export async function readPrometheusNow(
  baseUrl: string,
  proxies: LiveProxy[],
  signal?: AbortSignal,
): Promise<Map<string, { cpuMillicores: number; memMiB: number }>> {
  const out = new Map<string, { cpuMillicores: number; memMiB: number }>();
  for (const g of groups(proxies)) {
    const pods = g.proxies.map((p) => (p.locator.kind === 'container' ? p.locator.pod : ''));
    const q = promQueries({ namespace: g.namespace, container: g.container, pods }, 60);
    const cpu = byPod(await query(baseUrl, 'api/v1/query', { query: q.cpu }, signal));
    const mem = byPod(await query(baseUrl, 'api/v1/query', { query: q.mem }, signal));
    for (const p of g.proxies) {
      if (p.locator.kind !== 'container') continue;
      const c = cpu.get(p.locator.pod)?.[0]?.[1];
      const m = mem.get(p.locator.pod)?.[0]?.[1];
      if (c !== undefined && m !== undefined)
        out.set(p.info.id, { cpuMillicores: Number(c) * 1000, memMiB: Number(m) / 2 ** 20 });
    }
  }
  return out;
}
