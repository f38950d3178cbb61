/**
 * The report page's stylesheet: system fonts, tabular figures, GitHub-like neutral colours so the page sits
 * well next to the Markdown version; no external font or resource. Print rules keep tables and charts whole.
 */
export const REPORT_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --subtle: #f6f8fa; --accent: #0969da;
  --info-bg: #ddf4ff; --info-border: #54aeff; --warn-bg: #fff8c5; --warn-border: #d4a72c;
  --bad-bg: #ffebe9; --bad-border: #ff8182;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p { margin: 8px 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--subtle);
  padding: 1px 5px; border-radius: 4px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 16px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.callout { border: 1px solid; border-left-width: 5px; border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.callout p, .callout ul { margin: 4px 0; }
.callout.emulation { background: var(--info-bg); border-color: var(--info-border); }
.callout.warning { background: var(--warn-bg); border-color: var(--warn-border); }
.callout.bad { background: var(--bad-bg); border-color: var(--bad-border); }
nav.toc { margin: 16px 0 0; padding: 10px 14px; background: var(--subtle); border-radius: 6px; font-size: 14px; }
nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: 0 0 4px; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--border); vertical-align: top; }
/* Figures and mode names stay on one line (mode names would break at their hyphens); headers and prose wrap. */
td.num, td:first-child, .flag { white-space: nowrap; }
th { vertical-align: bottom; }
th { background: var(--subtle); text-align: left; font-weight: 600; border-top: 1px solid var(--border); }
td.num, th.num { text-align: right; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
tbody tr:hover td { background: #f0f6ff; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px;
  vertical-align: baseline; }
td .noise { color: var(--muted); }
td .flag, .flag { color: #9a6700; }
figure.chart { margin: 16px 0 24px; padding: 12px; border: 1px solid var(--border); border-radius: 8px;
  overflow-x: auto; }
.chart-canvas { min-height: 120px; }
figure.chart figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.vega-embed { max-width: 100%; }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--border); color: var(--muted);
  font-size: 13px; }
@media (max-width: 720px) { .page { padding: 16px; } }
@media print {
  .page { max-width: none; padding: 0; }
  nav.toc, .vega-embed details { display: none; }
  figure.chart, table { break-inside: avoid; }
}
`;
