import type { SizingReport } from '../../size/types.js';
import { mdItem, mdText } from '../shared/markdown-escape.js';
import { markdownTableOf } from '../shared/table.js';
import { sizingDocument, type SizingBlock, type SizingDocument, type SizingSection } from './sections.js';
import { shownSizing } from './shown.js';

// Bullets carry names and paths from the inventory and results files: escaped (markdown-escape.ts).
const bullets = (items: readonly string[]) => items.map((a) => `- ${mdItem(a)}`).join('\n');

/** A block as Markdown, or null where sizing.md has nothing (a chart). */
function blockMarkdown(b: SizingBlock): string | null {
  switch (b.kind) {
    case 'text':
      return mdText(b.text);
    case 'note':
      return b.text; // meshbench's own counts and mode name
    case 'table':
      return markdownTableOf(b.table);
    case 'list':
      return bullets(b.items);
    case 'chart':
      return null;
  }
}

function sectionLines(s: SizingSection): string[] {
  const blocks = s.blocks.map(blockMarkdown).filter((b): b is string => b !== null);
  return [`## ${mdText(s.title)}`, '', ...blocks.flatMap((b) => [b, ''])];
}

function headLines(d: SizingDocument): string[] {
  return [
    `# ${mdText(d.title)}`,
    '',
    mdText(d.intro),
    '',
    ...(d.callout ? [`> ${mdText(d.callout)}`, ''] : []),
  ];
}

/** The summary `meshbench size` prints: totals, what is extrapolated, and the assumptions. */
export function renderSizingSummary(r: SizingReport): string {
  const d = sizingDocument(r);
  const sections = d.sections.filter((s) => s.id === 'totals' || s.id === 'assumptions');
  return [...headLines(d), ...sections.flatMap(sectionLines)].join('\n');
}

/**
 * The whole sizing as Markdown: the summary plus requests and limits per proxy, the models, the warnings. A
 * large inventory shows each mode's largest rows only (shown.ts); sizing.csv has them all.
 */
export function renderSizingMarkdown(full: SizingReport): string {
  const d = sizingDocument(shownSizing(full));
  return [...headLines(d), ...d.sections.flatMap(sectionLines)].join('\n');
}
