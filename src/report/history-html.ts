import type { History } from '../history/types.js';
import { formatChange, formatRelative, formatValue } from './compare-format.js';
import { historyCharts } from './history-vega.js';
import { escapeHtml } from './size-html.js';
import type { VegaAssets } from './size-vega-assets.js';

/** JSON inside <script>: '<' escaped so that no "</script>" or "<!--" in the data can end the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A library inlined in <script>: a literal "</script" would end the element early. */
function scriptCode(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
  cellClass: (row: number, col: number) => string | null = () => null,
): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  const tdClass = (r: number, i: number) => {
    const c = cellClass(r, i);
    return c ? ` class="${c}"` : cls(i);
  };
  const head = header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r, ri) => `<tr>${r.map((c, i) => `<td${tdClass(ri, i)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const STYLE = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #24292f; margin: 0; }
main { max-width: 1400px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.regression { color: #cf222e; } .improvement { color: #1a7f37; }
.chart { margin: 16px 0; overflow-x: auto; }
`;

/**
 * The history as one self-contained HTML page: a Vega-Lite chart per metric drawn by the Vega builds inlined
 * into the page (no network), the change points and the runs as tables. Pure: same inputs, same bytes.
 */
export function renderHistoryHtml(h: History, assets: VegaAssets): string {
  const charts = historyCharts(h);
  const first = h.runs[0];
  const last = h.runs[h.runs.length - 1];
  const title = `meshbench history: ${[...new Set(h.runs.map((r) => r.specName))].join(', ')}`;
  const body: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(
      `${h.runs.length} run(s)${first && last ? ` from ${first.startedAt} to ${last.startedAt}` : ''}. ` +
        `A change point is a step between the ${h.detector.window} runs before and after a run (at least ` +
        `${h.detector.minWindow} a side) with Welch's t at p < ${h.detector.alpha}, larger than the metric's ` +
        `compare thresholds and than the runs' own noise. Every metric is lower-is-better: a red triangle up is a regression, a green one down an improvement.`,
    )}</p>`,
    '<h2>Change points</h2>',
  ];
  const changes = h.series.flatMap((s) => s.changePoints.map((c) => ({ s, c })));
  const cps = changes.map(({ s, c }) => [
    `${c.kind === 'regression' ? '\u25b2' : '\u25bc'} ${c.kind}`,
    s.label,
    s.mode,
    s.tier,
    `${h.runs[c.run]?.startedAt ?? ''} ${h.runs[c.run]?.runId ?? ''}`,
    formatValue(s.unit, c.before),
    formatValue(s.unit, c.after),
    `${formatChange(s.unit, c.change)} (${formatRelative(c.relativeChange)})`,
  ]);
  body.push(
    cps.length === 0
      ? '<p>None found.</p>'
      : table(
          ['', 'metric', 'mode', 'tier', 'first run at new level', 'before', 'after', 'change'],
          cps,
          [5, 6, 7],
          (r, col) => (col === 0 ? (changes[r]?.c.kind ?? null) : null),
        ),
  );
  if (h.warnings.length > 0)
    body.push(
      '<h2>Warnings</h2>',
      `<ul>\n${h.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}\n</ul>`,
    );
  body.push('<h2>Trends</h2>');
  for (const c of charts) {
    body.push(`<div class="chart" id="${c.id}" role="img" aria-label="${escapeHtml(c.description)}"></div>`);
  }
  body.push(
    '<h2>Runs</h2>',
    table(
      ['#', 'started', 'run', 'status', 'file'],
      h.runs.map((r, i) => [String(i + 1), r.startedAt, r.runId, r.status, r.source]),
      [0],
    ),
  );
  const specs = Object.fromEntries(charts.map((c) => [c.id, c.spec]));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="meshbench history">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
<script type="application/json" id="history-data">${scriptJson(h)}</script>
<script type="application/json" id="chart-specs">${scriptJson(specs)}</script>
<script>${scriptCode(assets.vega)}</script>
<script>${scriptCode(assets.vegaLite)}</script>
<script>${scriptCode(assets.vegaEmbed)}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    vegaEmbed(el, specs[id], { actions: false, renderer: 'svg' }).catch(function (e) {
      el.textContent = 'chart could not be drawn: ' + e;
    });
  });
})();
</script>
</body>
</html>
`;
}
