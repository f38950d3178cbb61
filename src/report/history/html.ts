import type { History } from '../../history/types.js';
import { compileChart } from '../shared/compile-chart.js';
import { formatChange, formatRelative, formatValue } from '../shared/metric-format.js';
import { libraryScripts, type BrowserBundles } from '../shared/vega-assets.js';
import { BOOT_SCRIPT } from '../shared/html-boot.js';
import { escapeHtml, jsonForScript } from '../shared/html-escape.js';
import { htmlDocumentStart } from '../shared/html-head.js';
import { REPORT_CSS } from '../shared/html-style.js';
import { historyCharts } from './charts.js';

/** The report page's look, plus the colours of change points. */
const STYLE = `${REPORT_CSS}
td.regression { color: #cf222e; } td.improvement { color: #1a7f37; }
`;

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
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function changePointTable(h: History): string {
  const changes = h.series.flatMap((s) => s.changePoints.map((c) => ({ s, c })));
  if (changes.length === 0) return '<p>None found.</p>';
  const rows = changes.map(({ s, c }) => [
    `${c.kind === 'regression' ? '\u25b2' : '\u25bc'} ${c.kind}`,
    s.label,
    s.mode,
    s.tier,
    `${h.runs[c.run]?.startedAt ?? ''} ${h.runs[c.run]?.runId ?? ''}`,
    formatValue(s.unit, c.before),
    formatValue(s.unit, c.after),
    `${formatChange(s.unit, c.change)} (${formatRelative(c.relativeChange)})`,
  ]);
  return table(
    ['', 'metric', 'mode', 'tier', 'first run at new level', 'before', 'after', 'change'],
    rows,
    [5, 6, 7],
    (r, col) => (col === 0 ? (changes[r]?.c.kind ?? null) : null),
  );
}

/**
 * The history as one self-contained HTML page, built like the run report (html.ts): Vega-Lite specs compiled
 * to Vega in Node, the Vega (and, when installed, vega-embed) builds inlined, drawn by the report's boot
 * script, so the page opens offline. A chart per metric, the change points and the runs as tables. Pure: the
 * same history and bundles give the same bytes.
 */
export function renderHistoryHtml(h: History, bundles: BrowserBundles): string {
  const charts = historyCharts(h).map((c) => {
    const compiled = compileChart(c.spec);
    // A spec Vega-Lite had to patch up is a bug in charts.ts: fail loudly rather than draw it wrong.
    if (compiled.warnings.length > 0) throw new Error(`chart ${c.id}: ${compiled.warnings.join('; ')}`);
    return { ...c, vega: compiled.vega };
  });
  const first = h.runs[0];
  const last = h.runs[h.runs.length - 1];
  const title = `meshbench history: ${[...new Set(h.runs.map((r) => r.specName))].join(', ')}`;
  const intro =
    `${h.runs.length} run(s)${first && last ? ` from ${first.startedAt} to ${last.startedAt}` : ''}. ` +
    `A change point is a step between the ${h.detector.window} runs before and after a run (at least ` +
    `${h.detector.minWindow} a side) with Welch's t at p < ${h.detector.alpha}, larger than the metric's ` +
    `compare thresholds and than the runs' own noise. Every metric is lower-is-better: a red triangle up is ` +
    `a regression, a green one down an improvement.`;
  const body: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="subtitle">${escapeHtml(intro)}</p>`,
    '<h2>Change points</h2>',
    changePointTable(h),
  ];
  if (h.warnings.length > 0) {
    body.push(
      '<h2>Warnings</h2>',
      `<div class="callout warning"><ul>\n${h.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}\n</ul></div>`,
    );
  }
  body.push('<h2>Trends</h2>');
  for (const c of charts) {
    body.push(
      `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}">` +
        `<div class="chart-canvas" role="img" aria-label="${escapeHtml(c.description)}"></div>` +
        `<figcaption>${escapeHtml(c.description)}</figcaption></figure>`,
    );
  }
  body.push(
    '<h2>Runs</h2>',
    table(
      ['#', 'started', 'run', 'status', 'file'],
      h.runs.map((r, i) => [String(i + 1), r.startedAt, r.runId, r.status, r.source]),
      [0],
    ),
  );
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
