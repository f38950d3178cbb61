import type { Spec as VegaSpec } from 'vega';
import type { Analysis } from '../analysis/types.js';
import type { ResultsFile } from '../results/schema.js';
import { MESHBENCH_VERSION } from '../version.js';
import type { ChartDefinition, ChartId } from './charts/index.js';
import { libraryScripts, type BrowserBundles } from './html-assets.js';
import { BOOT_SCRIPT } from './html-boot.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { PUBLISHED_TITLE, publishedHtml } from './published-figures.js';
import { htmlDocumentStart } from './html-head.js';
import { headerHtml } from './html-header.js';
import { markdownToHtml } from './html-markdown.js';
import { REPORT_CSS } from './html-style.js';
import { markdownTableToHtml } from './html-table.js';
import { failedRepetitionsList, latencyTable, loadTable, noiseFloorTable } from './markdown-latency.js';
import { K6_DIAGNOSIS_INTRO, k6DiagnosisList } from './markdown-k6.js';
import { methodologySection, pricesLine } from './markdown-methodology.js';
import { confidenceLabel, overheadDetailTable, overheadTable } from './markdown-overhead.js';
import { costTable, nodeTable, resourceTable, roleTable } from './markdown-resources.js';
import { PROTOCOL_SECTION_ID, PROTOCOL_SECTION_TITLE, protocolSection } from './protocol-table.js';
import { withTierLabels } from './tier-groups.js';

/** A chart as the page embeds it: its definition, and the Vega spec compiled from it in Node. */
export interface HtmlChart {
  definition: ChartDefinition;
  vega: VegaSpec;
}

export interface HtmlReportInput {
  analysis: Analysis;
  results: ResultsFile;
  charts: readonly HtmlChart[];
  bundles: BrowserBundles;
}

interface Section {
  id: string;
  title: string;
  body: string;
}

/** A chart's place in the page: drawn by the page's script; its static SVG and spec linked next to it. */
function figure(charts: readonly HtmlChart[], id: ChartId): string {
  const c = charts.find((x) => x.definition.id === id);
  if (!c) return '';
  const d = c.definition;
  return (
    `<figure class="chart" id="chart-${d.id}" data-chart="${d.id}">` +
    `<div class="chart-canvas" role="img" aria-label="${escapeHtml(d.description)}"></div>` +
    `<figcaption>${escapeHtml(d.description)} Static image: <a href="charts/${d.id}.svg">SVG</a>; ` +
    `Vega-Lite spec: <a href="charts/${d.id}.vl.json">JSON</a>.</figcaption></figure>`
  );
}

const table = (md: string) => markdownTableToHtml(md);
const p = (text: string) => `<p>${escapeHtml(text)}</p>`;

/**
 * The sections of report.md, in its order, with the same tables (the same functions format every figure;
 * see html-table.ts) and each chart next to the table it pictures.
 */
function sections(
  analysis: Analysis,
  results: ResultsFile,
  charts: readonly HtmlChart[],
  byProtocol: ReturnType<typeof protocolSection>,
): Section[] {
  const out: Section[] = [];
  if (analysis.baselineMode) {
    out.push({
      id: 'latency-added',
      title: 'Latency added',
      body: [
        p(
          `Each mode\u2019s percentile minus baseline\u2019s at the same tier, from histograms merged over repetitions; ` +
            `${confidenceLabel(analysis.options.confidence)} by bootstrap over repetitions. A figure whose interval contains 0 is reported as not distinguishable from noise.`,
        ),
        '<h3 id="p50-latency-added">P50 latency added</h3>',
        table(overheadTable(analysis, 'p50')),
        '<h3 id="p99-latency-added">P99 latency added</h3>',
        table(overheadTable(analysis, 'p99')),
        figure(charts, 'latency-added'),
      ].join('\n'),
    });
  } else {
    out.push({
      id: 'latency-added',
      title: 'Latency added',
      body: p('The run has no baseline, so no overhead can be computed; absolute latencies are below.'),
    });
  }
  if (byProtocol)
    out.push({
      id: PROTOCOL_SECTION_ID,
      title: PROTOCOL_SECTION_TITLE,
      body: [
        p(byProtocol.intro),
        ...byProtocol.tables.flatMap((t) => [`<h3>${escapeHtml(t.mode)}</h3>`, table(t.table)]),
      ].join('\n'),
    });
  if (analysis.results.some((r) => r.mode !== analysis.baselineMode)) {
    const nodes = nodeTable(analysis);
    out.push(
      {
        id: 'proxy-resources',
        title: 'Proxy CPU and memory',
        body: [
          p(
            'Mean over the measure window; \u201cper pod\u201d shares every proxy of a mode (sidecars, node proxies, waypoints) over the pods of the run. Ranges in parentheses are min\u2013max over repetitions.',
          ),
          table(resourceTable(analysis)),
          figure(charts, 'proxy-resources'),
          '<h3 id="per-proxy-by-role">Per proxy, by role</h3>',
          table(roleTable(analysis)),
          ...(nodes ? ['<h3 id="node-proxies-per-node">Node proxies, per node</h3>', table(nodes)] : []),
        ].join('\n'),
      },
      {
        id: 'cost',
        title: 'Cost per pod per month',
        body: [
          p(`Measured mean proxy usage priced at ${pricesLine(analysis)}.`),
          table(costTable(analysis)),
          figure(charts, 'cost'),
        ].join('\n'),
      },
    );
  }
  const failed = failedRepetitionsList(analysis);
  const k6 = k6DiagnosisList(results, analysis.options.rateTolerance);
  out.push(
    {
      id: 'latency',
      title: 'Latency percentiles (ms)',
      body: [table(latencyTable(analysis)), figure(charts, 'latency-spectrum')].join('\n'),
    },
    {
      id: 'load',
      title: 'Load: achieved vs target RPS',
      body: [
        p(
          `Rate missed means more than ${Math.round(analysis.options.rateTolerance * 1000) / 10}% below target.`,
        ),
        table(loadTable(analysis)),
        figure(charts, 'load'),
        ...(failed
          ? ['<h3 id="repetitions-left-out">Repetitions left out</h3>', markdownToHtml(failed)]
          : []),
        ...(k6
          ? ['<h3 id="load-generator-k6">Load generator (k6)</h3>', p(K6_DIAGNOSIS_INTRO), markdownToHtml(k6)]
          : []),
      ].join('\n'),
    },
  );
  if (analysis.baselineMode) {
    out.push(
      {
        id: 'noise-floor',
        title: 'Noise floor',
        body: [
          p(
            'How far baseline moves between its own repetitions: an overhead smaller than this cannot be told apart from re-running baseline.',
          ),
          analysis.noiseFloor.length > 0
            ? table(noiseFloorTable(analysis))
            : p('Baseline has no successful repetition.'),
        ].join('\n'),
      },
      { id: 'overhead-detail', title: 'Overhead detail', body: table(overheadDetailTable(analysis)) },
    );
  }
  const published = publishedHtml(analysis);
  if (published) out.push({ id: 'published-figures', title: PUBLISHED_TITLE, body: published });
  // The methodology's own "## " heading becomes this section's title.
  const methodology = methodologySection(analysis, results).replace(/^## .*\n/, '');
  out.push({
    id: 'methodology',
    title: 'Methodology and environment',
    body: markdownToHtml(methodology),
  });
  if (analysis.warnings.length > 0) {
    out.push({
      id: 'analysis-warnings',
      title: 'Analysis warnings',
      body: markdownToHtml(analysis.warnings.map((w) => `- ${w}`).join('\n')),
    });
  }
  return out;
}

function footer(input: HtmlReportInput): string {
  const { vega, vegaEmbed } = input.bundles;
  const libs = [`Vega ${vega.version}`, ...(vegaEmbed ? [`vega-embed ${vegaEmbed.version}`] : [])].join(
    ' and ',
  );
  return (
    `<footer>Generated by meshbench ${escapeHtml(MESHBENCH_VERSION)} from the results of run ` +
    `<code>${escapeHtml(input.analysis.source.runId)}</code> (every figure is rebuilt by <code>meshbench report results.json</code>; ` +
    `the analysis behind it is in <a href="analysis.json">analysis.json</a>). ` +
    `Charts drawn by ${escapeHtml(libs)}, inlined in this page: it makes no network request.</footer>`
  );
}

/**
 * The HTML report: one self-contained file (styles, chart specs and the Vega/vega-embed builds inline, no
 * external resource), the same tables as report.md and a chart beside each. Deterministic for the same
 * inputs: the only times in it come from results.json.
 */
export function renderHtml(input: HtmlReportInput): string {
  const { results, charts, bundles } = input;
  // Tier names carry their protocol and churn when a run has other than HTTP/1.1 keep-alive (tier-groups.ts).
  const analysis = withTierLabels(input.analysis);
  const secs = sections(analysis, results, charts, protocolSection(input.analysis));
  const toc = secs.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
  const chartData = charts.map((c) => ({ id: c.definition.id, vega: c.vega }));
  const scripts = libraryScripts(bundles);
  const title = `meshbench report: ${analysis.source.specName} (${analysis.source.runId})`;
  return `${htmlDocumentStart({ title, generator: `meshbench ${MESHBENCH_VERSION}`, css: REPORT_CSS })}
<div class="page">
<header>
${headerHtml(analysis, results)}
<nav class="toc" aria-label="Contents"><ol>${toc}</ol></nav>
</header>
<main>
${secs.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.body}\n</section>`).join('\n')}
</main>
${footer(input)}
</div>
<script type="application/json" id="meshbench-charts">${jsonForScript(chartData)}</script>
${scripts}
<script>
${BOOT_SCRIPT}</script>
</body>
</html>
`;
}
