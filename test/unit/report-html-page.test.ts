import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { markdownTable } from '../../src/report/shared/format.js';
import { escapeHtml, inlineScript, jsonForScript } from '../../src/report/shared/html-escape.js';
import { listHtml, listMarkdown, type ListItem } from '../../src/report/shared/list.js';
import { htmlTable } from '../../src/report/shared/html-table.js';
import { tableOf } from '../../src/report/shared/table.js';
import { parseMarkdownTable } from '../helpers/markdown-table.js';
import { renderReportFiles, writeReports } from '../../src/report/run/write-report.js';
import type { ReportFile } from '../../src/report/shared/report-file.js';
import type { ResultsFile } from '../../src/results/schema.js';
import {
  SYNTHETIC_EMULATION,
  syntheticResults,
  type SyntheticOptions,
} from '../helpers/synthetic-results.js';

const opts: SyntheticOptions = {
  modes: ['baseline', 'istio-sidecar', 'istio-ambient'],
  tiers: [{ name: 'low' }, { name: 'high' }],
  repetitions: 3,
  latency: (c) => ({ kind: 'normal', meanUs: c.mode === 'baseline' ? 1000 : 1400, sdUs: 30, count: 400 }),
  proxyLoad: (_p, c) => ({ cpuMillicores: 40 + 5 * c.repetition, memMiB: 50 }),
  cell: (c) =>
    c.mode === 'istio-ambient' && c.tier === 'high' && c.repetition === 2
      ? { status: 'failed', error: 'synthetic failure | with a pipe' }
      : {},
};

async function files(results: ResultsFile): Promise<Record<string, string>> {
  const list: ReportFile[] = await renderReportFiles(results, {
    analysis: analyze(results, { bootstrapIterations: 200 }),
  });
  return Object.fromEntries(list.map((f) => [f.path, f.content]));
}

/** Every table of report.md, in order, as header + rows. */
function markdownTables(md: string): string[][][] {
  const tables: string[][][] = [];
  let block: string[] = [];
  for (const line of [...md.split('\n'), '']) {
    if (line.startsWith('|')) block.push(line);
    else if (block.length > 0) {
      const t = parseMarkdownTable(block.join('\n'));
      tables.push([t.header, ...t.rows]);
      block = [];
    }
  }
  return tables;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Every table of the page's content, in order, as the text of its cells (tags stripped, entities decoded). */
function htmlTables(page: string): string[][][] {
  // Only <main>: the inlined libraries hold table markup of their own (vega-embed's tooltips).
  const html = page.slice(page.indexOf('<main>'), page.indexOf('</main>'));
  return [...html.matchAll(/<table[^>]*>(.*?)<\/table>/gs)].map((t) =>
    [...(t[1] ?? '').matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) =>
      [...(r[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) =>
        unescape((c[1] ?? '').replace(/<[^>]+>/g, '')),
      ),
    ),
  );
}

describe('HTML report', () => {
  // The common case is rendered once and shared by the tests that only read it (each render takes ~0.5 s).
  let shared: Promise<Record<string, string>> | undefined;
  const base = () => (shared ??= files(syntheticResults(opts)));

  it('is self-contained: no external resource, scripts and styles inline', async () => {
    const html = (await base())['index.html']!;
    expect(html).not.toMatch(/src="(https?:)?\/\//i);
    expect(html).not.toMatch(/href="(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    // Vega's build, vega-embed's and the page's own script, besides the chart data.
    expect(html).toMatch(/<script data-library="vega 5\.[^"]*">/);
    expect(html).toMatch(/<script data-library="vega-embed 6\.[^"]*">/);
    // Every <script> is closed by its own end tag: nothing inlined ends one early.
    expect(html.match(/<script\b/g)?.length).toBe(html.match(/<\/script>/g)?.length);
  });

  it('has a container for every chart, and their compiled specs', async () => {
    const f = await base();
    const html = f['index.html']!;
    const ids = ['latency-added', 'latency-spectrum', 'proxy-resources', 'cost', 'load'];
    const json = /<script type="application\/json" id="meshbench-charts">(.*?)<\/script>/s.exec(html)?.[1];
    const embedded = JSON.parse(json ?? 'null') as {
      id: string;
      vega: { $schema?: string; marks?: unknown[] };
    }[];
    expect(embedded.map((c) => c.id)).toEqual(ids);
    for (const id of ids) {
      expect(html).toContain(`<figure class="chart" id="chart-${id}"`);
      expect(html).toContain(`href="charts/${id}.svg"`);
      expect(f[`charts/${id}.svg`]).toMatch(/^<svg/);
      expect(JSON.parse(f[`charts/${id}.vl.json`]!)).toHaveProperty('$schema');
    }
    for (const c of embedded) expect(c.vega.$schema).toMatch(/vega\/v5/);
  });

  it('shows the same tables with the same figures as report.md', async () => {
    const f = await base();
    const md = markdownTables(f['report.md']!);
    const html = htmlTables(f['index.html']!);
    // P50, P99, resources, roles, nodes, cost, latency, load, noise floor, overhead detail, published
    // figures (the Istio modes carry some), tiers.
    expect(md.length).toBe(12);
    expect(html).toEqual(md);
    // And a figure that is known: the failed repetition's error, with its pipe, in the list of left-out repetitions.
    expect(f['index.html']).toContain('synthetic failure | with a pipe');
  });

  it('puts the emulation note first, then the run facts and methodology', async () => {
    const html = (await base())['index.html']!;
    const callout = html.indexOf('<div class="callout emulation"');
    expect(callout).toBeGreaterThan(-1);
    expect(callout).toBeLessThan(html.indexOf('<table'));
    expect(html).toContain(escapeHtml(SYNTHETIC_EMULATION));
    const methodology = html.slice(html.indexOf('<section id="methodology">'));
    for (const needle of [
      'Proxy: haproxy 2.6.12',
      'Engine: builtin 0.1.0',
      'Synthetic CPU @ 2.00GHz, 2 CPUs',
      'Repetitions: 3',
      '<th scope="col" class="num">warm-up</th>',
      '<td class="num">2 s</td>',
    ]) {
      expect(methodology).toContain(needle);
    }
    // Without emulation there is no callout.
    const real = (await files(syntheticResults({ ...opts, emulation: null })))['index.html']!;
    expect(real).not.toContain('class="callout emulation"');
  });

  it('escapes text from results.json, in markup and in the embedded chart data', async () => {
    const results = syntheticResults(opts);
    const evil = '</script><script>alert(1)</script><!--';
    results.spec.name = evil;
    results.environment.emulation = `note ${evil}`;
    results.cells[0]!.flags.push(`flag${evil}`);
    const html = (await files(results))['index.html']!;
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(escapeHtml(evil));
    expect(html.match(/<script\b/g)?.length).toBe(4);
  });

  it('links every chart SVG from report.md as an image', async () => {
    const md = (await base())['report.md']!;
    for (const id of ['latency-added', 'latency-spectrum', 'proxy-resources', 'cost', 'load']) {
      expect(md).toMatch(new RegExp(`\\[!\\[[^\\]]+\\]\\(charts/${id}\\.svg\\)\\]\\(charts/${id}\\.svg\\)`));
    }
  });

  it('leaves out charts without data: no baseline, no latency added', async () => {
    const f = await files(syntheticResults({ ...opts, modes: ['istio-sidecar'] }));
    expect(f['charts/latency-added.svg']).toBeUndefined();
    expect(f['index.html']).not.toContain('id="chart-latency-added"');
    expect(f['index.html']).toContain('The run has no baseline');
    expect(f['charts/latency-spectrum.svg']).toBeDefined();
  });
});

describe('writeReports', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes report.md first, then the page, charts and analysis; removes charts it no longer draws', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshbench-report-'));
    dirs.push(dir);
    const first = await writeReports(syntheticResults({ ...opts, repetitions: 2 }), dir);
    expect(first.markdown).toBe(join(dir, 'report.md'));
    expect(first.files[0]).toBe(first.markdown);
    for (const f of ['index.html', 'analysis.json', 'charts/cost.svg', 'charts/cost.vl.json']) {
      expect(first.files).toContain(join(dir, f));
    }
    for (const f of first.files) expect(existsSync(f)).toBe(true);
    const analysis = JSON.parse(await readFile(join(dir, 'analysis.json'), 'utf8')) as { schema: string };
    expect(analysis.schema).toBe('meshbench/analysis');

    // Baseline alone: no proxies, so no resource or cost chart; the old files go, the others are rewritten.
    const second = await writeReports(
      syntheticResults({ ...opts, modes: ['baseline'], repetitions: 2 }),
      dir,
    );
    expect(existsSync(join(dir, 'charts/cost.svg'))).toBe(false);
    expect(existsSync(join(dir, 'charts/proxy-resources.vl.json'))).toBe(false);
    expect(second.files).toContain(join(dir, 'charts/latency-spectrum.svg'));
  });
});

describe('HTML helpers', () => {
  it('parses a Markdown table back into the exact cells it was made of', () => {
    const header = ['mode', 'a | b', 'c\\d'];
    const rows = [
      ['x', 'pipe | inside', 'back\\slash'],
      ['', '\\|', 'end\\'],
    ];
    const t = parseMarkdownTable(markdownTable(header, rows, ['left', 'right', 'left']));
    expect(t).toEqual({ header, rows, align: ['left', 'right', 'left'] });
  });

  it('writes one list as Markdown and as HTML: nesting, code, bold, and foreign text escaped for each', () => {
    const items: ListItem[] = [
      { content: ['one ', { code: 'code' }], items: [{ content: ['nested ', { strong: ['bold'] }] }] },
      { content: ['two ', { data: '<b>' }] },
    ];
    expect(listMarkdown(items)).toEqual(['- one `code`', '  - nested **bold**', '- two \\<b\\>']);
    expect(listHtml(items)).toBe(
      '<ul><li>one <code>code</code><ul><li>nested <strong>bold</strong></li></ul></li><li>two &lt;b&gt;</li></ul>',
    );
  });

  it('renders tables from data, never from Markdown: right-aligned columns are numeric', () => {
    const html = htmlTable(tableOf(['a', 'b'], [['1', '2']], ['left', 'right']));
    expect(html).toContain('<th scope="col" class="num">b</th>');
    expect(html).toContain('<td>1</td><td class="num">2</td>');
  });

  it('keeps inline scripts and JSON from ending their element', () => {
    expect(inlineScript('var s = "</script>"; var r = /<!--/;')).toBe(
      'var s = "<\\/script>"; var r = /\\x3C!--/;',
    );
    expect(inlineScript('"</SCRIPT "')).toBe('"<\\/SCRIPT "');
    const json = jsonForScript({ s: '</script><!-- & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ s: '</script><!-- & \u2028' });
  });
});
