import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import type { TierSummary } from '../../src/analysis/types.js';
import { loadBrowserBundles } from '../../src/report/shared/vega-assets.js';
import { renderHtml } from '../../src/report/run/html.js';
import { renderMarkdown } from '../../src/report/run/markdown.js';
import { protocolSection } from '../../src/report/run/protocol-table.js';
import { markdownTableOf } from '../../src/report/shared/table.js';
import {
  mixesVariants,
  showsTierVariants,
  tierDisplayName,
  tierGroups,
  variantsOf,
  withTierLabels,
} from '../../src/report/run/tier-groups.js';
import { renderReportFiles } from '../../src/report/run/write-report.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

const tier = (name: string, extra: Partial<TierSummary> = {}): TierSummary => ({
  name,
  targetRps: 500,
  durationSec: 4,
  warmupSec: 2,
  connections: 16,
  payloadBytes: 1024,
  protocol: 'http/1.1',
  maxInFlight: 512,
  timeoutMs: 5000,
  ...extra,
});

describe('tier labels and groups (tier-groups.ts)', () => {
  it.each([
    [tier('medium'), 'medium · HTTP/1.1'],
    [tier('medium', { protocol: 'h2c' }), 'medium · h2c'],
    [tier('medium', { requestsPerConnection: 1 }), 'medium · 1 req/conn'],
    [tier('rpc', { protocol: 'grpc', requestsPerConnection: 10 }), 'rpc · gRPC · 10 req/conn'],
  ])('%j is shown as %s', (t, label) => {
    expect(tierDisplayName(t)).toBe(label);
  });

  it('plain HTTP/1.1 keep-alive tiers show nothing new; one other variant is enough for labels', () => {
    expect(showsTierVariants([tier('a'), tier('b', { targetRps: 50 })])).toBe(false);
    expect(showsTierVariants([tier('a', { protocol: 'grpc' })])).toBe(true);
    expect(mixesVariants([tier('a', { protocol: 'grpc' }), tier('b', { protocol: 'grpc' })])).toBe(false);
    expect(mixesVariants([tier('a'), tier('b', { requestsPerConnection: 1 })])).toBe(true);
  });

  it('orders variants by protocol, keep-alive before churn, and groups tiers of the same rate', () => {
    const tiers = [
      tier('m-grpc', { protocol: 'grpc' }),
      tier('m-churn1', { requestsPerConnection: 1, payloadBytes: 256 }),
      tier('m'),
      tier('m-churn10', { requestsPerConnection: 10 }),
      tier('m-h2', { protocol: 'h2c' }),
      tier('l', { targetRps: 50 }),
      tier('m-again'),
    ];
    expect(variantsOf(tiers).map((v) => `${v.protocol} ${v.requestsPerConnection ?? '-'}`)).toEqual([
      'http/1.1 -',
      'http/1.1 10',
      'http/1.1 1',
      'h2c -',
      'grpc -',
    ]);
    // m-again has the same rate and variant as m: a row of its own, so every tier has exactly one cell.
    expect(tierGroups(tiers).map((g) => g.tiers.map((t) => t.name))).toEqual([
      ['m-grpc', 'm-churn1', 'm', 'm-churn10', 'm-h2'],
      ['l'],
      ['m-again'],
    ]);
  });
});

describe('reports of runs with protocols and churn', () => {
  // Known answers from the synthetic latencies: baseline 1 ms everywhere; istio-sidecar +0.25 ms keep-alive,
  // +2 ms on the churn tier, +0.5 ms on gRPC.
  const results = syntheticResults({
    modes: ['baseline', 'istio-sidecar'],
    tiers: [
      { name: 'medium', rps: 500 },
      { name: 'medium-churn', rps: 500, connections: 16, payloadBytes: 1024, requestsPerConnection: 1 },
      { name: 'medium-grpc', rps: 500, connections: 16, payloadBytes: 1024, protocol: 'grpc' },
    ],
    latency: (c) => ({
      kind: 'normal',
      meanUs:
        1000 +
        (c.mode === 'baseline' ? 0 : c.tier === 'medium-churn' ? 2000 : c.tier === 'medium-grpc' ? 500 : 250),
      sdUs: 5,
      count: 1000,
    }),
  });
  const analysis = analyze(results);

  it('puts keep-alive, churn and gRPC of the same load side by side, per mode', () => {
    const s = protocolSection(analysis);
    expect(s?.tables.map((t) => t.mode)).toEqual(['baseline', 'istio-sidecar']);
    const sidecar = (s?.tables[1] ? markdownTableOf(s.tables[1].table) : '').split('\n') ?? [];
    expect(sidecar[0]).toBe(
      '| rate: tiers | HTTP/1.1 keep-alive | HTTP/1.1 · 1 req/conn | gRPC keep-alive |',
    );
    expect(sidecar[2]).toMatch(
      /^\| 500 RPS: medium, medium-churn, medium-grpc \| \+0\.2\d \/ \+0\.2\d \| \+2\.0\d \/ \+2\.0\d \| \+0\.5\d \/ \+0\.5\d \|$/,
    );
    const baseline = (s?.tables[0] ? markdownTableOf(s.tables[0].table) : '').split('\n') ?? [];
    expect(baseline[2]).toMatch(
      /^\| 500 RPS: medium, medium-churn, medium-grpc \| 1\.0\d \/ 1\.0\d \| 1\.0\d/,
    );
  });

  it('report.md labels every tier and has the section; HTML has the same section', async () => {
    const md = renderMarkdown(analysis, results);
    expect(md).toContain('## By protocol and connection reuse');
    expect(md).toContain(
      '| mode | medium · HTTP/1.1 (500 RPS) | medium-churn · 1 req/conn (500 RPS) | medium-grpc · gRPC (500 RPS) |',
    );
    const html = renderHtml({
      analysis,
      results,
      charts: [],
      bundles: await loadBrowserBundles(),
    });
    expect(html).toContain('<section id="by-protocol">');
    expect(html).toContain('medium-churn · 1 req/conn');
  });

  it('analysis.json keeps the tiers’ own names; only the rendered reports carry labels', async () => {
    const files = await renderReportFiles(results, {
      analysis,
      bundles: await loadBrowserBundles(),
    });
    const json = JSON.parse(files.find((f) => f.path === 'analysis.json')?.content ?? '{}') as {
      tiers: { name: string }[];
    };
    expect(json.tiers.map((t) => t.name)).toEqual(['medium', 'medium-churn', 'medium-grpc']);
    const chart = files.find((f) => f.path.endsWith('.vl.json'))?.content ?? '';
    expect(chart).toContain('medium-churn · 1 req/conn');
  });
});

describe('runs of plain HTTP/1.1 keep-alive tiers', () => {
  it('are reported exactly as before: the same analysis object, no labels, no section', () => {
    const results = syntheticResults({});
    const analysis = analyze(results);
    expect(withTierLabels(analysis)).toBe(analysis);
    expect(protocolSection(analysis)).toBeUndefined();
    const md = renderMarkdown(analysis, results);
    expect(md).not.toMatch(/ · |By protocol|req\/conn/);
  });
});

describe('the side-by-side rows say what else differs', () => {
  it('names each tier’s payload when tiers of one rate differ in it, and marks ~ only where an interval exists', () => {
    const results = syntheticResults({
      modes: ['baseline', 'istio-sidecar'],
      repetitions: 1,
      tiers: [
        { name: 'low', rps: 50, payloadBytes: 256 },
        { name: 'low-churn', rps: 50, payloadBytes: 1024, requestsPerConnection: 1 },
      ],
    });
    const s = protocolSection(analyze(results));
    const row = (s?.tables[1] ? markdownTableOf(s.tables[1].table) : '').split('\n')[2] ?? '';
    expect(row).toMatch(
      /^\| 50 RPS: low \(256 B\), low-churn \(1024 B\) \| \+0\.\d\d \/ \+0\.\d\d \| \+0\.\d\d/,
    );
    expect(row).not.toContain('~');
  });
});
