import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveProxy } from '../../src/platforms/platform.js';
import {
  dropRepeated,
  readingsFromPodMetrics,
  type UsageReading,
} from '../../src/platforms/kubernetes/sample-metrics-api.js';
import { promQueries, readPrometheusRange } from '../../src/platforms/kubernetes/sample-prometheus.js';
import { subtractIdle } from '../../src/platforms/kubernetes/sampler.js';

const proxy = (id: string, pod: string, container: string, namespace = 'ns'): LiveProxy => ({
  info: { id, role: 'server-sidecar', scope: 'pod', node: 'n', pod, implementation: 'envoy' },
  locator: { kind: 'container', namespace, pod, container, node: 'n' },
});

describe('metrics.k8s.io readings', () => {
  it('matches containers to proxies and converts units', () => {
    const items = [
      {
        metadata: { name: 'server-1', namespace: 'ns', selfLink: '', creationTimestamp: '' },
        timestamp: '2026-01-01T00:00:15Z',
        window: '15s',
        containers: [
          { name: 'fortio', usage: { cpu: '1m', memory: '1Mi' } },
          { name: 'istio-proxy', usage: { cpu: '23456789n', memory: '51200Ki' } },
        ],
      },
      {
        metadata: { name: 'other', namespace: 'ns', selfLink: '', creationTimestamp: '' },
        timestamp: '2026-01-01T00:00:15Z',
        window: '15s',
        containers: [{ name: 'istio-proxy', usage: { cpu: '1', memory: '1Gi' } }],
      },
    ];
    const r = readingsFromPodMetrics(items, [
      proxy('s1', 'server-1', 'istio-proxy'),
      proxy('gone', 'server-9', 'istio-proxy'),
    ]);
    expect(r).toHaveLength(1);
    expect(r[0]?.cpuMillicores).toBeCloseTo(23.456789, 9);
    expect(r[0]?.memMiB).toBe(50);
  });

  it('drops repeated points: metrics-server computes one per resolution period', () => {
    const seen = new Map<string, string>();
    const at = (t: string): UsageReading => ({ proxyId: 'p', timestamp: t, cpuMillicores: 1, memMiB: 1 });
    expect(dropRepeated([at('t1')], seen)).toHaveLength(1);
    expect(dropRepeated([at('t1')], seen)).toHaveLength(0);
    expect(dropRepeated([at('t2')], seen)).toHaveLength(1);
  });

  it('charges a node proxy only above its idle reading', () => {
    expect(subtractIdle({ cpuMillicores: 80, memMiB: 60 }, { cpuMillicores: 30, memMiB: 40 })).toEqual({
      cpuMillicores: 50,
      memMiB: 20,
    });
    expect(subtractIdle({ cpuMillicores: 20, memMiB: 60 }, { cpuMillicores: 30, memMiB: 40 })).toEqual({
      cpuMillicores: 0,
      memMiB: 20,
    });
    expect(subtractIdle({ cpuMillicores: 20, memMiB: 60 }, undefined)).toEqual({
      cpuMillicores: 20,
      memMiB: 60,
    });
  });
});

describe('Prometheus sampling', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('builds cAdvisor queries for one container of the given pods', () => {
    const q = promQueries({ namespace: 'ns', container: 'istio-proxy', pods: ['server-1', 'a.b'] }, 30);
    expect(q.cpu).toBe(
      'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="ns",container="istio-proxy",pod=~"server-1|a\\.b"}[30s]))',
    );
    expect(q.mem).toBe(
      'sum by (pod) (container_memory_working_set_bytes{namespace="ns",container="istio-proxy",pod=~"server-1|a\\.b"})',
    );
  });

  it('queries the measure window only and converts to millicores and MiB', async () => {
    const seen: URLSearchParams[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const params = new URLSearchParams(body);
        seen.push(params);
        const isCpu = (params.get('query') ?? '').includes('cpu');
        const start = Number(params.get('start'));
        const values = [0, 15].map((d) => [start + d, isCpu ? '0.025' : String(64 * 2 ** 20)]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'success',
            data: { resultType: 'matrix', result: [{ metric: { pod: 'server-1' }, values }] },
          }),
        );
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const startMs = 1_700_000_000_000;
    const pts = await readPrometheusRange(
      url,
      [proxy('s1', 'server-1', 'istio-proxy')],
      startMs,
      startMs + 60_000,
      15,
    );
    expect(pts).toEqual([
      { proxyId: 's1', atMs: startMs + 30_000, cpuMillicores: 25, memMiB: 64 },
      { proxyId: 's1', atMs: startMs + 45_000, cpuMillicores: 25, memMiB: 64 },
    ]);
    // Points start one rate window (30 s) after the window opens, and end when it closes.
    expect(seen[0]?.get('start')).toBe(String((startMs + 30_000) / 1000));
    expect(seen[0]?.get('end')).toBe(String((startMs + 60_000) / 1000));
    expect(seen[0]?.get('step')).toBe('15s');
  });

  it('reports a Prometheus error', async () => {
    server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', error: 'parse error at char 5' }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(
      readPrometheusRange(url, [proxy('s1', 'server-1', 'istio-proxy')], 0, 60_000, 15),
    ).rejects.toThrow(/parse error at char 5/);
  });
});
