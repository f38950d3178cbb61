/**
 * The sizing as one self-contained HTML page: the sections of sizing.md (sections.ts), and the charts drawn by the
 * Vega, Vega-Lite and vega-embed builds inlined into the page, so it opens offline and can be published as
 * a single file.
 */
import type { SizingReport } from '../../size/types.js';
import { escapeHtml, inlineScript, jsonForScript } from '../shared/html-escape.js';
import { htmlDocumentStart } from '../shared/html-head.js';
import { sizingCharts } from './charts.js';
import { sizingDocument, type SizingBlock } from './sections.js';
import { shownSizing } from './shown.js';
import type { TableData } from '../shared/table.js';
import type { BrowserBundles } from '../shared/vega-assets.js';

function htmlTable(t: TableData): string {
  const cls = (i: number) => (t.align[i] === 'right' ? ' class="num"' : '');
  const head = t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${cls(i)}${c.startsWith('\u26a0') ? ' class="flag"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const list = (items: readonly string[]) =>
  `<ul>\n${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ul>`;

const STYLE = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #24292f; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.flag { color: #9a6700; }
.callout { border-left: 4px solid #bf8700; background: #fff8c5; padding: 8px 12px; margin: 12px 0; }
.chart { margin: 16px 0; }
`;

/**
 * The page, from a sizing and the Vega builds (vega-assets.ts): pure, the same inputs give the same bytes.
 * The charts are drawn from every row; the tables and the embedded data of a large inventory show each
 * mode's largest rows (shown.ts), so that the page stays a page.
 */
export function renderSizingHtml(full: SizingReport, bundles: BrowserBundles): string {
  const charts = sizingCharts(full);
  const r = shownSizing(full);
  const d = sizingDocument(r);
  const chartDiv = (id: string) => {
    const c = charts.find((x) => x.id === id);
    return c
      ? `<div class="chart" id="${c.id}" role="img" aria-label="${escapeHtml(c.description)}"></div>`
      : '';
  };
  const blockHtml = (b: SizingBlock): string => {
    switch (b.kind) {
      case 'text':
        return `<p>${escapeHtml(b.text)}</p>`;
      case 'note':
        return `<p class="callout" role="note">${escapeHtml(b.text)}</p>`;
      case 'table':
        return htmlTable(b.table);
      case 'list':
        return list(b.items);
      case 'chart':
        return chartDiv(b.chart);
    }
  };
  const body: string[] = [`<h1>${escapeHtml(d.title)}</h1>`, `<p>${escapeHtml(d.intro)}</p>`];
  if (d.callout) body.push(`<div class="callout" role="note">${escapeHtml(d.callout)}</div>`);
  for (const s of d.sections) body.push(`<h2>${escapeHtml(s.title)}</h2>`, ...s.blocks.map(blockHtml));

  const specs = Object.fromEntries(charts.map((c) => [c.id, c.spec]));
  // Without vega-embed (not installed), Vega-Lite compiles and Vega's View draws, as on the run's page.
  const draw = bundles.vegaEmbed
    ? `vegaEmbed(el, specs[id], { actions: false, renderer: 'svg' })`
    : `new vega.View(vega.parse(vegaLite.compile(specs[id]).spec), { renderer: 'svg', container: el }).runAsync()`;
  return `${htmlDocumentStart({ title: d.title, generator: 'meshbench size', css: STYLE })}
<main>
${body.join('\n')}
</main>
<script type="application/json" id="sizing-data">${jsonForScript(r)}</script>
<script type="application/json" id="chart-specs">${jsonForScript(specs)}</script>
<script>${inlineScript(bundles.vega.source)}</script>
<script>${inlineScript(bundles.vegaLite.source)}</script>
${bundles.vegaEmbed ? `<script>${inlineScript(bundles.vegaEmbed.source)}</script>\n` : ''}<script>
(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    ${draw}.catch(function (e) {
      el.textContent = 'chart could not be drawn: ' + e;
    });
  });
})();
</script>
</body>
</html>
`;
}
