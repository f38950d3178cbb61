import type { History } from '../../history/types.js';
import { htmlTable } from '../shared/html-table.js';
import { compileChart } from '../shared/compile-chart.js';
import { inlineHtml, listHtml } from '../shared/list.js';
import { libraryScripts, type BrowserBundles } from '../shared/vega-assets.js';
import { BOOT_SCRIPT } from '../shared/html-boot.js';
import { escapeHtml, jsonForScript } from '../shared/html-escape.js';
import { htmlDocumentStart } from '../shared/html-head.js';
import { REPORT_CSS } from '../shared/html-style.js';
import { historyCharts, type HistoryChart } from './charts.js';
import { historySections, type HistoryBlock } from './sections.js';

/** The report page's look, plus the colours of change points. */
const STYLE = `${REPORT_CSS}
tr.regression td:first-child { color: #cf222e; } tr.improvement td:first-child { color: #1a7f37; }
`;

function blockHtml(b: HistoryBlock, charts: ReadonlyMap<string, HistoryChart>): string {
  switch (b.kind) {
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'table':
      return htmlTable(b.table, { rowClass: b.rowClass });
    case 'warnings':
      return `<div class="callout warning">${listHtml(b.items)}</div>`;
    case 'chart': {
      const c = charts.get(b.chart);
      if (!c) return '';
      return (
        `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}">` +
        `<div class="chart-canvas" role="img" aria-label="${escapeHtml(c.description)}"></div>` +
        `<figcaption>${escapeHtml(c.description)}</figcaption></figure>`
      );
    }
  }
}

/**
 * The history as one self-contained HTML page serialising the same sections as history.md (sections.ts), each
 * metric's chart under its table. Built like the run report: Vega-Lite specs compiled to Vega in Node, the
 * Vega (and, when installed, vega-embed) builds inlined and drawn by the report's boot script, so the page
 * opens offline. Pure: the same history and bundles give the same bytes.
 */
export function renderHistoryHtml(h: History, bundles: BrowserBundles): string {
  const charts = historyCharts(h).map((c) => {
    const compiled = compileChart(c.spec);
    // A spec Vega-Lite had to patch up is a bug in charts.ts: fail loudly rather than draw it wrong.
    if (compiled.warnings.length > 0) throw new Error(`chart ${c.id}: ${compiled.warnings.join('; ')}`);
    return { ...c, vega: compiled.vega };
  });
  const byId = new Map(charts.map((c) => [c.id, c]));
  const page = historySections(h, new Map(charts.map((c) => [c.metric, c.id])));
  const title = page.title.map((p) => (typeof p === 'string' ? p : 'data' in p ? p.data : '')).join('');
  const body: string[] = [
    `<h1>${inlineHtml(page.title)}</h1>`,
    `<p class="subtitle">${inlineHtml(page.intro)}</p>`,
    ...page.sections.map(
      (s) =>
        `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n` +
        `${s.blocks.map((b) => blockHtml(b, byId)).join('\n')}\n</section>`,
    ),
  ];
  const scripts = libraryScripts(bundles);
  const chartData = charts.map((c) => ({ id: c.id, vega: c.vega }));
  return `${htmlDocumentStart({ title, generator: 'meshbench history', css: STYLE })}
<div class="page">
<main>
${body.join('\n')}
</main>
</div>
<script type="application/json" id="meshbench-history">${jsonForScript(h)}</script>
<script type="application/json" id="meshbench-charts">${jsonForScript(chartData)}</script>
${scripts}
<script>
${BOOT_SCRIPT}</script>
</body>
</html>
`;
}
