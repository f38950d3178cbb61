import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { compareRuns } from '../../src/compare/compare.js';
import { buildHistory } from '../../src/history/build.js';
import { renderCompareMarkdown } from '../../src/report/compare/markdown.js';
import { renderHistoryMarkdown } from '../../src/report/history/markdown.js';
import { parseMarkdownTable } from '../helpers/markdown-table.js';
import { renderSizingCsv } from '../../src/report/size/csv.js';
import { renderSizingMarkdown } from '../../src/report/size/markdown.js';
import { renderReportFiles } from '../../src/report/run/write-report.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { sizingInputs } from '../../src/size/inputs.js';
import { parseInventory } from '../../src/size/inventory-parse.js';
import { sizeInventory } from '../../src/size/size-inventory.js';
import { linearLoadResults } from '../helpers/size-fixtures.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

/**
 * Issue 14, "run directory and Markdown": report.md, compare's Markdown, history.md, sizing.md and sizing.csv
 * embedded raw text from results.json (`- Host: <script>alert(1)</script>`; a newline in runId injected a
 * heading; `<!--` hid the rest of the page on GitHub). They now escape what they did not write, as the HTML
 * pages already did (the escaping itself: markdown-csv-escape.test.ts).
 */
/** Results carrying hostile text wherever a results file holds free text. */
function hostile(seed: number): ResultsFile {
  const r = syntheticResults({
    seed,
    tiers: [{ name: 'low' }],
    modes: ['baseline', 'istio-sidecar'],
    cell: (k) =>
      k.mode === 'istio-sidecar' && k.repetition === 3
        ? { status: 'failed', error: 'boom <img src=x onerror=alert(1)>\n## fake section | x' }
        : {},
  });
  r.runId = 'night\n# injected heading <!--';
  r.status = 'failed';
  r.error = '<!-- everything after this is hidden';
  r.environment.hostname = '<script>alert(1)</script>';
  r.environment.cpuModel = 'cpu | with | pipes';
  r.environment.proxy.version = '2.6 <b>bold</b>';
  r.environment.engine.version = '1.0\n- injected list item';
  return r;
}

/**
 * No raw HTML, no heading, list item or comment injected: every '<' outside code spans escaped (inside one it
 * is shown verbatim, never read as HTML), every injected line gone.
 */
function expectInert(md: string, what: string): void {
  expect(md.replace(/`[^`\n]*`/g, '``'), what).not.toMatch(/(^|[^\\])<(script|img|b>|!--)/m);
  expect(md, what).not.toMatch(/^#+ injected/m);
  expect(md, what).not.toMatch(/^#+ fake section/m);
  expect(md, what).not.toMatch(/^- injected list item/m);
}

describe('every Markdown writer escapes what it did not write', () => {
  it('report.md, and index.html shows the same text escaped once', async () => {
    const r = hostile(1);
    const files = await renderReportFiles(r, { analysis: analyze(r, { bootstrapIterations: 50 }) });
    const md = files.find((f) => f.path === 'report.md')?.content ?? '';
    expectInert(md, 'report.md');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('Run `night # injected heading <!--`'); // a code span: shown verbatim, never HTML
    const html = files.find((f) => f.path === 'index.html')?.content ?? '';
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('\\&lt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it("compare's Markdown", () => {
    const a = hostile(1);
    const b = hostile(2);
    const md = renderCompareMarkdown(compareRuns(a, b, { analysis: { bootstrapIterations: 50 } }));
    expectInert(md, 'compare');
    expect(md).toContain('img src=x onerror=alert(1)\\>'); // the failed cell's error, in the gate's list
  });

  it('history.md', () => {
    const runs = [1, 2, 3].map((seed) => {
      const r = hostile(seed);
      r.runId = `${r.runId} | ${seed}`;
      r.startedAt = `2026-01-0${seed}T00:00:00.000Z`;
      return {
        source: `n${seed}/<!--results.json`,
        results: r,
        analysis: analyze(r, { bootstrapIterations: 50 }),
      };
    });
    const md = renderHistoryMarkdown(buildHistory(runs));
    expectInert(md, 'history.md');
    const runsTable = md.slice(md.indexOf('## Runs'));
    for (const row of runsTable.split('\n').filter((l) => l.startsWith('| 1 |')))
      expect(
        parseMarkdownTable(`| # | started | run | status | file |\n| - | - | - | - | - |\n${row}`).rows[0],
      ).toHaveLength(5);
  });

  it('sizing.md and sizing.csv', () => {
    const results = linearLoadResults();
    results.runId = 'x,=HYPERLINK("http://evil")\n# injected heading <!--';
    const inputs = sizingInputs([{ path: 'runs/<script>/results.json', results }], {});
    const report = sizeInventory({
      inventory: parseInventory(
        'services:\n  - { name: a, namespace: x, replicas: 2, peakRpsPerPod: 400, avgRpsPerPod: 200, nodes: 2 }\n',
        'yaml',
        'inventory <!--.yaml',
      ),
      models: inputs.models,
      points: inputs.points,
      modes: ['istio-sidecar'],
      settings: inputs.settings,
      prices: inputs.prices,
      results: inputs.sources,
      warnings: inputs.warnings,
    });
    const md = renderSizingMarkdown(report);
    expectInert(md, 'sizing.md');
    expect(md).toContain('# Proxy sizing: inventory \\<!--.yaml');
    const csv = renderSizingCsv(report);
    const comments = csv.split('\n').filter((l) => l.startsWith('#'));
    expect(comments.some((l) => l.includes(`,'=HYPERLINK("http://evil")`))).toBe(true);
    expect(comments.some((l) => /,\s*=/.test(l))).toBe(false);
    expect(csv).not.toMatch(/^[^#].*injected heading/m); // the newline did not start a data row
  });
});
