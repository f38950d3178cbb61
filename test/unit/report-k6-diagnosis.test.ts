import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { renderMarkdown } from '../../src/report/run/markdown.js';
import { renderReportFiles } from '../../src/report/run/write-report.js';
import { UserError } from '../../src/errors.js';
import { parseResults } from '../../src/results/read.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

/**
 * A k6 run where one repetition dropped arrivals because k6 started VUs mid-test, and one missed its rate with the
 * host's CPU saturated: the report says which, with the figures, and what to change. A builtin run says nothing.
 */
function k6Run(): ResultsFile {
  const r = syntheticResults({
    modes: ['baseline', 'istio-sidecar'],
    tiers: [{ name: 'high' }],
    repetitions: 2,
    cell: (c) =>
      c.mode === 'istio-sidecar' && c.repetition === 1
        ? { dropped: 21, flags: ['dropped', 'k6-short-of-vus'] }
        : c.mode === 'istio-sidecar' && c.repetition === 2
          ? { achievedRps: 1500, flags: ['rate-missed', 'k6-short-of-cpu'] }
          : {},
  });
  r.environment.engine = { name: 'k6', version: '0.48.0' };
  for (const c of r.cells) {
    if (!c.latency) continue;
    c.latency.k6 = {
      preAllocatedVUs: 200,
      maxVUs: 1024,
      vusMax: c.mode === 'istio-sidecar' && c.repetition === 1 ? 204 : 200,
      cpu: {
        span: 'measure-window',
        seconds: 2,
        k6CpuSeconds: 1,
        hostBusyCpuSeconds: c.mode === 'istio-sidecar' && c.repetition === 2 ? 3.8 : 2,
        cores: 2,
      },
    };
  }
  return r;
}

describe('report: the k6 diagnosis', () => {
  it('Markdown: per repetition, short of VUs or of CPU, with the figures and what to change', () => {
    const results = k6Run();
    const md = renderMarkdown(analyze(results, { bootstrapIterations: 100 }), results);
    const start = md.indexOf('### Load generator (k6)\n');
    expect(start).toBeGreaterThan(md.indexOf('## Load: achieved vs target RPS'));
    const section = md.slice(start, md.indexOf('\n## ', start));
    expect(section).toContain('- **istio-sidecar / high / repetition 1**: k6 short of VUs\n');
    expect(section).toContain(
      '  - short of VUs: k6 pre-allocated 200 VUs and started 4 more during the test (vus_max 204)',
    );
    expect(section).toContain(
      "  - what to change: pre-allocate more VUs: set the tier's connections to 408 or more",
    );
    expect(section).toContain('- **istio-sidecar / high / repetition 2**: k6 short of CPU\n');
    expect(section).toMatch(/ {2}- short of CPU: k6 used 0\.5 of the host's 2 cores .* host was 95% busy/);
    expect(section).toContain('  - what to change: k6, not the mesh, is the bottleneck');
    // Baseline held its rate: not listed.
    expect(section).not.toContain('baseline /');
    expect(md).toMatch(/> - istio-sidecar \/ high: .*k6-short-of-cpu.*k6-short-of-vus/);
    expect(md).toContain('With k6 such a repetition is also flagged k6-short-of-vus');
  });

  it('HTML: the same list in the load section', async () => {
    const results = k6Run();
    const files = await renderReportFiles(results, {
      analysis: analyze(results, { bootstrapIterations: 100 }),
    });
    const html = files.find((f) => f.path === 'index.html')?.content ?? '';
    expect(html).toContain('<h3 id="load-generator-k6">Load generator (k6)</h3>');
    expect(html).toContain('<strong>istio-sidecar / high / repetition 1</strong>: k6 short of VUs');
  });

  it('a builtin run (no k6 figures) has no such section and no k6 sentence', () => {
    const results = syntheticResults({
      modes: ['baseline', 'istio-sidecar'],
      tiers: [{ name: 'high' }],
      repetitions: 2,
      cell: () => ({ dropped: 5, flags: ['dropped'] }),
    });
    const md = renderMarkdown(analyze(results, { bootstrapIterations: 100 }), results);
    expect(md).not.toContain('Load generator (k6)');
    expect(md).not.toContain('k6-short-of');
  });
});

describe('results.json: the optional k6 figures', () => {
  it('round-trip through the reader, and a malformed one is refused naming the field', () => {
    const results = JSON.parse(JSON.stringify(k6Run())) as ResultsFile;
    const back = parseResults(results, 'results.json');
    expect(back.cells[0]?.latency?.k6).toEqual(results.cells[0]?.latency?.k6);
    const bad = JSON.parse(JSON.stringify(results)) as { cells: { latency: { k6: unknown } }[] };
    bad.cells[0]!.latency.k6 = { preAllocatedVUs: 'many', maxVUs: 10 };
    expect(() => parseResults(bad, 'results.json')).toThrow(UserError);
    try {
      parseResults(bad, 'results.json');
    } catch (e) {
      expect((e as UserError).problems.join('\n')).toMatch(/cells\[0\]\.latency\.k6\.preAllocatedVUs/);
    }
  });
});
