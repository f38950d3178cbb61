import { escapeHtml } from './html-escape.js';
import { mdCode, mdItem, mdText } from './markdown-escape.js';

/**
 * A piece of a list item: meshbench's own words (a plain string, printed as is in Markdown), text read from
 * results.json (`data`: escaped for Markdown, markdown-escape.ts), bold, or code. Both outputs are written
 * from this, so the page never reads Markdown back.
 */
export type Inline = string | { data: string } | { strong: Inline[] } | { code: string };

export interface ListItem {
  content: Inline[];
  /** Nested items (two spaces a level in Markdown). */
  items?: ListItem[];
}

/** `first`: the span opens the item, where foreign text must not start a heading or a nested list (mdItem). */
export function inlineMarkdown(spans: readonly Inline[], first = true): string {
  return spans
    .map((s, i) => {
      if (typeof s === 'string') return s;
      if ('data' in s) return first && i === 0 ? mdItem(s.data) : mdText(s.data);
      if ('strong' in s) return `**${inlineMarkdown(s.strong, false)}**`;
      return mdCode(s.code);
    })
    .join('');
}

export function inlineHtml(spans: readonly Inline[]): string {
  return spans
    .map((s) => {
      if (typeof s === 'string') return escapeHtml(s);
      if ('data' in s) return escapeHtml(s.data);
      if ('strong' in s) return `<strong>${inlineHtml(s.strong)}</strong>`;
      return `<code>${escapeHtml(s.code)}</code>`;
    })
    .join('');
}

/** The items as Markdown bullet lines, nested by two spaces a level. */
export function listMarkdown(items: readonly ListItem[], depth = 0): string[] {
  const indent = '  '.repeat(depth);
  return items.flatMap((item) => [
    `${indent}- ${inlineMarkdown(item.content)}`,
    ...listMarkdown(item.items ?? [], depth + 1),
  ]);
}

/** The items as an HTML list, nested lists inside their item. */
export function listHtml(items: readonly ListItem[]): string {
  if (items.length === 0) return '';
  return `<ul>${items.map((i) => `<li>${inlineHtml(i.content)}${listHtml(i.items ?? [])}</li>`).join('')}</ul>`;
}
