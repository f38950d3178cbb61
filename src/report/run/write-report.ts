import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze } from '../../analysis/analyze.js';
import type { Analysis } from '../../analysis/types.js';
import type { ResultsFile } from '../../results/schema.js';
import { writeFilesAtomically } from '../../files/atomic-files.js';
import { buildCharts, type ChartId } from './charts/index.js';
import { compileChart } from '../shared/compile-chart.js';
import { loadBrowserBundles, type BrowserBundles } from '../shared/vega-assets.js';
import { renderHtml, type HtmlChart } from './html.js';
import { renderMarkdown } from './markdown.js';
import { withTierLabels } from './tier-groups.js';
import { renderSvg } from './svg.js';
import type { ReportFile } from '../shared/report-file.js';

export interface WrittenReport {
  /** Path of report.md (also files[0]). */
  markdown: string;
  /** Every file written: report.md, index.html, charts/<id>.svg, charts/<id>.vl.json, analysis.json. */
  files: string[];
}

export const CHARTS_DIR = 'charts';
const ALL_CHART_IDS: readonly ChartId[] = [
  'latency-added',
  'latency-spectrum',
  'proxy-resources',
  'cost',
  'load',
];

/**
 * Every report file, in memory: report.md first. No I/O but reading the installed Vega builds (bundles), which
 * a caller may pass in. Charts are compiled to Vega once and drawn from that one spec twice: to static SVG here,
 * and in the browser by index.html. report.md shows each SVG as an image that links to itself (Markdown
 * `[![title](charts/x.svg)](charts/x.svg)`), so GitHub and GitLab display them inline.
 */
export async function renderReportFiles(
  results: ResultsFile,
  opts: { analysis?: Analysis; bundles?: BrowserBundles } = {},
): Promise<ReportFile[]> {
  const analysis = opts.analysis ?? analyze(results);
  const bundles = opts.bundles ?? (await loadBrowserBundles());
  // Charts name tiers as the report's tables do (tier-groups.ts); analysis.json keeps the tiers' own names.
  const charts: HtmlChart[] = buildCharts(withTierLabels(analysis)).map((definition) => {
    const compiled = compileChart(definition.spec);
    if (compiled.warnings.length > 0) {
      // A spec Vega-Lite had to patch up is a bug in charts/: fail loudly rather than publish a wrong picture.
      throw new Error(`chart ${definition.id}: ${compiled.warnings.join('; ')}`);
    }
    return { definition, vega: compiled.vega };
  });
  const chartFiles: ReportFile[] = [];
  for (const c of charts) {
    const id = c.definition.id;
    chartFiles.push(
      { path: `${CHARTS_DIR}/${id}.svg`, content: await renderSvg(c.vega) },
      { path: `${CHARTS_DIR}/${id}.vl.json`, content: JSON.stringify(c.definition.spec, null, 1) + '\n' },
    );
  }
  const chartLinks = Object.fromEntries(
    charts.map((c) => {
      const href = `${CHARTS_DIR}/${c.definition.id}.svg`;
      return [`![${c.definition.title}](${href})`, href];
    }),
  );
  return [
    { path: 'report.md', content: renderMarkdown(analysis, results, { chartLinks }) },
    { path: 'index.html', content: renderHtml({ analysis, results, charts, bundles }) },
    ...chartFiles,
    { path: 'analysis.json', content: JSON.stringify(analysis, null, 1) + '\n' },
  ];
}

/** Chart files of an earlier build of this report that the new one no longer draws (e.g. no proxies now). */
async function removeStaleCharts(outDir: string, keep: ReadonlySet<string>): Promise<void> {
  const dir = join(outDir, CHARTS_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const ours = new Set(ALL_CHART_IDS.flatMap((id) => [`${id}.svg`, `${id}.vl.json`]));
  await Promise.all(
    names
      .filter((n) => ours.has(n) && !keep.has(`${CHARTS_DIR}/${n}`))
      .map((n) => rm(join(dir, n), { force: true })),
  );
}

/** Every path a report in `outDir` may write (its charts depend on the results): for checks before writing. */
export function reportOutputPaths(outDir: string): string[] {
  return [
    'report.md',
    'index.html',
    'analysis.json',
    ...ALL_CHART_IDS.flatMap((id) => [`${CHARTS_DIR}/${id}.svg`, `${CHARTS_DIR}/${id}.vl.json`]),
  ].map((p) => join(outDir, p));
}

/**
 * Rebuilds every report file from results alone (the pure pipeline's only I/O is here, at its edge). All or
 * nothing: every file is rendered, then all are written together (files/atomic-files.ts); charts of an earlier
 * build that this one no longer draws are removed only once the new report is complete.
 */
export async function writeReports(results: ResultsFile, outDir: string): Promise<WrittenReport> {
  const files = await renderReportFiles(results);
  const written = files.map((f) => join(outDir, f.path));
  await writeFilesAtomically(files.map((f, i) => ({ path: written[i] as string, content: f.content })));
  await removeStaleCharts(outDir, new Set(files.map((f) => f.path)));
  return { markdown: written[0] ?? join(outDir, 'report.md'), files: written };
}
