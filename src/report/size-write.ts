import { join } from 'node:path';
import { writeFilesAtomically } from '../files/atomic-files.js';
import type { SizingReport } from '../size/types.js';
import { renderSizingCsv, renderSizingTotalsCsv } from './size-csv.js';
import { renderSizingHtml } from './size-html.js';
import { renderSizingMarkdown } from './size-markdown.js';
import { shownSizing } from './size-shown.js';
import type { VegaAssets } from './size-vega-assets.js';

export interface RenderedFile {
  name: string;
  content: string;
}

/** sizing.json: the sizing as data; a large inventory's rows cut as in the Markdown (size-shown.ts). */
export function renderSizingJson(r: SizingReport): string {
  return JSON.stringify(shownSizing(r), null, 1) + '\n';
}

/** Every sizing output as text, rendered before anything is written. Without assets, no HTML page. */
export function renderSizingFiles(r: SizingReport, assets: VegaAssets | null): RenderedFile[] {
  const files: RenderedFile[] = [
    { name: 'sizing.md', content: renderSizingMarkdown(r) },
    { name: 'sizing.csv', content: renderSizingCsv(r) },
    { name: 'sizing-totals.csv', content: renderSizingTotalsCsv(r) },
    { name: 'sizing.json', content: renderSizingJson(r) },
  ];
  if (assets) files.push({ name: 'sizing.html', content: renderSizingHtml(r, assets) });
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
export async function writeSizingFiles(dir: string, files: readonly RenderedFile[]): Promise<string[]> {
  const paths = files.map((f) => join(dir, f.name));
  await writeFilesAtomically(files.map((f, i) => ({ path: paths[i] as string, content: f.content })));
  return paths;
}
