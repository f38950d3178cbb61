import type { History } from '../../history/types.js';
import { inlineMarkdown, listMarkdown } from '../shared/list.js';
import { markdownTableOf } from '../shared/table.js';
import { historySections, type HistoryBlock } from './sections.js';

/** A block as Markdown lines, or none (a chart: the page draws it; the table's sparklines stand in here). */
function blockMarkdown(b: HistoryBlock): string | null {
  switch (b.kind) {
    case 'text':
      return b.text;
    case 'table':
      return markdownTableOf(b.table);
    case 'warnings':
      return listMarkdown(b.items).join('\n');
    case 'chart':
      return null;
  }
}

/** history.md: the sections of sections.ts, change points first, then a table per metric with sparklines. */
export function renderHistoryMarkdown(h: History): string {
  const page = historySections(h);
  const out: string[] = [`# ${inlineMarkdown(page.title)}`, '', inlineMarkdown(page.intro)];
  for (const s of page.sections) {
    const blocks = s.blocks.map(blockMarkdown).filter((b): b is string => b !== null);
    out.push('', `## ${s.title}`, '', blocks.join('\n\n'));
  }
  out.push('');
  return out.join('\n');
}
