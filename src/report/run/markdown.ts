import type { Analysis } from '../../analysis/types.js';
import type { ResultsFile } from '../../results/schema.js';
import { WARNING_SIGN } from '../shared/format.js';
import { markdownTableOf } from '../shared/table.js';
import { mdCode, mdText } from '../shared/markdown-escape.js';
import { listMarkdown } from '../shared/list.js';
import { withTierLabels } from './tier-groups.js';
import { reportSections, type Block, type Section } from './sections.js';

export interface MarkdownOptions {
  /** Charts rendered elsewhere (e.g. SVG files next to the report): label -> relative link. */
  chartLinks?: Record<string, string>;
}

/** Everything from results.json goes through mdText/mdCode: the file may come from anyone (markdown-escape.ts). */
function header(analysis: Analysis, results: ResultsFile): string[] {
  const s = analysis.source;
  const env = results.environment;
  const out = [
    `# meshbench report: ${mdText(s.specName)}`,
    '',
    `Run ${mdCode(s.runId)} (${s.runStatus}), started ${mdText(s.startedAt)}${s.finishedAt ? `, finished ${mdText(s.finishedAt)}` : ''}. ` +
      `Modes: ${analysis.modes.join(', ')}. Tiers: ${mdText(analysis.tiers.map((t) => `${t.name} (${t.targetRps} RPS)`).join(', '))}. ` +
      `Platform: ${env.platform}; proxy ${mdText(`${env.proxy.name} ${env.proxy.version}`)}; ` +
      `engine ${env.engine.name} ${mdText(env.engine.version)}.`,
  ];
  if (env.emulation) {
    out.push('', `> **Emulated environment.** ${mdText(env.emulation)}`);
  }
  if (s.runStatus !== 'complete') {
    out.push(
      '',
      `> ${WARNING_SIGN} **The run is ${s.runStatus}**${s.runError ? `: ${mdText(s.runError)}` : ''}. Figures cover the cells that finished.`,
    );
  }
  if (analysis.flagged.length > 0) {
    out.push(
      '',
      `> ${WARNING_SIGN} **Flags** (explained under Methodology; flagged figures carry ${WARNING_SIGN} next to them):`,
    );
    for (const f of analysis.flagged)
      out.push(`> - ${f.mode} / ${mdText(`${f.tier}: ${f.flags.join(', ')}`)}`);
  }
  return out;
}

/** One block as report.md lines (each block is preceded by an empty line by the caller). */
function blockLines(b: Block, links: Record<string, string> | undefined): string[] {
  switch (b.kind) {
    case 'text':
      return [b.text];
    case 'table':
      return [markdownTableOf(b.table)];
    case 'heading':
      return [`### ${b.title}`];
    case 'list':
      return listMarkdown(b.items);
    case 'chart-links':
      // Labels and links are meshbench's own (chart titles and file names), not results text.
      return Object.entries(links ?? {}).map(([label, href]) => `- [${label}](${href})`);
    case 'chart':
      return []; // report.md links every chart from its Charts section
  }
}

function sectionLines(s: Section, links: Record<string, string> | undefined): string[] {
  const blocks = s.blocks.map((b) => blockLines(b, links)).filter((lines) => lines.length > 0);
  if (blocks.length === 0) return []; // e.g. no charts to link
  return ['', `## ${s.title}`, ...blocks.flatMap((lines) => ['', ...lines])];
}

/**
 * The Markdown report: the title block, then the report's sections (sections.ts) as Markdown. Deterministic:
 * the only times in it come from results.json.
 */
export function renderMarkdown(analysis: Analysis, results: ResultsFile, opts: MarkdownOptions = {}): string {
  const lines = [
    ...header(withTierLabels(analysis), results),
    ...reportSections(analysis, results).flatMap((s) => sectionLines(s, opts.chartLinks)),
  ];
  return lines.join('\n') + '\n';
}
