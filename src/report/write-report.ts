import { join } from 'node:path';
import { analyze } from '../analysis/analyze.js';
import type { ResultsFile } from '../results/schema.js';
import { writeFileAtomic } from '../results/write.js';
import { renderMarkdown } from './markdown.js';

export interface WrittenReport {
  markdown: string;
  files: string[];
}

/** Rebuilds every report file from results alone (the pure pipeline's only I/O is here, at its edge). */
export async function writeReports(results: ResultsFile, outDir: string): Promise<WrittenReport> {
  const analysis = analyze(results);
  const markdown = join(outDir, 'report.md');
  await writeFileAtomic(markdown, renderMarkdown(analysis, results));
  return { markdown, files: [markdown] };
}
