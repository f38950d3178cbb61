import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { getMode } from '../../src/modes/registry.js';
import { renderMarkdown } from '../../src/report/run/markdown.js';
import { PUBLISHED_TITLE, publishedRows } from '../../src/report/run/published-figures.js';
import { renderReportFiles } from '../../src/report/run/write-report.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

const results = syntheticResults({ modes: ['baseline', 'istio-sidecar', 'istio-ambient'] });
const analysis = analyze(results, { bootstrapIterations: 200 });

describe('published figures beside measured ones', () => {
  it('analysis.json carries each mode’s published figures apart from the measured ones', () => {
    expect(analysis.published?.map((p) => p.mode)).toEqual(['istio-sidecar', 'istio-ambient']);
    expect(analysis.published?.[0]?.figures).toEqual(getMode('istio-sidecar').published);
    const cpu = analysis.published?.[0]?.figures.find((f) => f.kind === 'proxy-cpu');
    expect(cpu).toMatchObject({ value: 0.2, rps: 1000, role: 'server-sidecar' });
    expect(cpu?.source.url).toMatch(/^https:\/\/istio\.io\/v1\.24\//);
    // No mode with figures in the run: no field at all.
    expect(analyze(syntheticResults({ modes: ['baseline', 'appmesh'] })).published).toBeUndefined();
  });

  it("compares each figure with this run's figure at the tier closest to the published rate", () => {
    const rows = publishedRows(analysis);
    const cpu = rows.find((r) => r.mode === 'istio-sidecar' && r.figure.kind === 'proxy-cpu')!;
    // Default tiers are 50, 500 and 2000 RPS: 500 is the closest to the published 1000 RPS.
    expect(cpu.tier).toBe('medium');
    const medium = analysis.results.find((r) => r.mode === 'istio-sidecar' && r.tier === 'medium')!;
    const role = medium.proxies.byRole.find((r) => r.role === 'server-sidecar')!;
    expect(cpu.measured).toBeCloseTo(role.cpuMillicoresPer1000Rps! / 1000, 12);
    const mem = rows.find((r) => r.mode === 'istio-ambient' && r.figure.kind === 'proxy-memory')!;
    const ambient = analysis.results.find((r) => r.mode === 'istio-ambient' && r.tier === 'medium')!;
    expect(mem.measured).toBe(ambient.proxies.byRole.find((r) => r.role === 'node-proxy')!.memMeanMiB);
  });

  it('Markdown: a section of its own, labelled published, with source and conditions; measured tables untouched', () => {
    const md = renderMarkdown(analysis, results);
    const at = md.indexOf(`## ${PUBLISHED_TITLE}`);
    expect(at).toBeGreaterThan(0);
    const section = md.slice(at, md.indexOf('\n## ', at + 1));
    expect(section).toContain(
      '| istio-sidecar | sidecar (Envoy) CPU (vCPU per 1000 RPS) | 0.20 vCPU/1000 RPS at 1000 RPS |',
    );
    expect(section).toContain('Istio 1.24; 1000 RPS, 1 KB payload');
    expect(section).toContain('https://istio.io/v1.24/docs/ops/deployment/performance-and-scalability/');
    expect(section).toMatch(/\(tier medium\)/);
    // Outside the section no published value or source appears.
    const rest = md.slice(0, at) + md.slice(md.indexOf('\n## ', at + 1));
    expect(rest).not.toContain('istio.io/v1.24');
    expect(rest).not.toContain('published');
  });

  it('HTML: the same section, escaped, in the same place as in the Markdown report', async () => {
    const files = Object.fromEntries(
      (await renderReportFiles(results, { analysis })).map((f) => [f.path, f.content]),
    );
    const page = files['index.html']!;
    expect(page).toContain('<section id="published-figures">');
    expect(page).toContain(`<h2>${PUBLISHED_TITLE}</h2>`);
    expect(page).toContain('https://istio.io/v1.24/docs/ops/deployment/performance-and-scalability/');
    expect(page.indexOf('id="published-figures"')).toBeLessThan(page.indexOf('id="methodology"'));
    expect(page.indexOf('id="published-figures"')).toBeGreaterThan(page.indexOf('id="overhead-detail"'));
  });
});
