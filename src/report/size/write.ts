import { join } from 'node:path';
import { writeFilesAtomically } from '../../files/atomic-files.js';
import type { SizingReport } from '../../size/types.js';
import { renderSizingCsv, renderSizingTotalsCsv } from './csv.js';
import { renderSizingHtml } from './html.js';
import { renderSizingMarkdown } from './markdown.js';
import { shownSizing } from './shown.js';
import type { ReportFile } from '../shared/report-file.js';
import type { BrowserBundles } from '../shared/vega-assets.js';

/** sizing.json: the sizing as data; a large inventory's rows cut as in the Markdown (shown.ts). */
export function renderSizingJson(r: SizingReport): string {
  return JSON.stringify(shownSizing(r), null, 1) + '\n';
}

/** Every sizing output as text, rendered before anything is written. Without the Vega builds, no HTML page. */
export function renderSizingFiles(r: SizingReport, bundles: BrowserBundles | null): ReportFile[] {
  const files: ReportFile[] = [
    { path: 'sizing.md', content: renderSizingMarkdown(r) },
    { path: 'sizing.csv', content: renderSizingCsv(r) },
    { path: 'sizing-totals.csv', content: renderSizingTotalsCsv(r) },
    { path: 'sizing.json', content: renderSizingJson(r) },
  ];
  if (bundles) files.push({ path: 'sizing.html', content: renderSizingHtml(r, bundles) });
  return files;
}

/** Every file name `size` may write into its output directory. */
export const SIZING_FILE_NAMES = [
  'sizing.md',
  'sizing.csv',
  'sizing-totals.csv',
  'sizing.json',
  'sizing.html',
] as const;

/** Writes rendered files into `dir`, all or nothing (files/atomic-files.ts); returns their paths. */
export async function writeSizingFiles(dir: string, files: readonly ReportFile[]): Promise<string[]> {
  const paths = files.map((f) => join(dir, f.path));
  await writeFilesAtomically(files.map((f, i) => ({ path: paths[i] as string, content: f.content })));
  return paths;
}
