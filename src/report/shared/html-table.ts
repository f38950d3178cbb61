import { WARNING_SIGN } from './format.js';
import type { TableData } from './table.js';
import { escapeHtml } from './html-escape.js';
import { modeColour } from './mode-colours.js';

export interface HtmlTableOptions {
  /** Accessible caption, shown above the table. */
  caption?: string;
  className?: string;
  /** A class per row (e.g. a change point's kind, which the page colours); null for none. */
  rowClass?: readonly (string | null)[];
}

function cellHtml(text: string, column: string): string {
  if (column === 'mode' && text !== '') {
    // The mode's chart colour next to its name, so tables and charts read together.
    return `<span class="swatch" style="background:${modeColour(text)}"></span>${escapeHtml(text)}`;
  }
  // withFlags() appends "⚠ flag, flag" at the end of a figure: highlight that part.
  const flag = text.indexOf(WARNING_SIGN);
  const figure = flag === -1 ? text : text.slice(0, flag);
  const note = flag === -1 ? '' : `<span class="flag">${escapeHtml(text.slice(flag))}</span>`;
  const figureHtml = figure.startsWith('not distinguishable from noise')
    ? `<span class="noise">${escapeHtml(figure)}</span>`
    : escapeHtml(figure);
  return figureHtml + note;
}

/** An HTML table, numeric columns right-aligned as in the Markdown, in a scrolling wrapper for narrow screens. */
export function htmlTable(t: TableData, opts: HtmlTableOptions = {}): string {
  const cls = (i: number) => (t.align[i] === 'right' ? ' class="num"' : '');
  const head = t.header.map((h, i) => `<th scope="col"${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const body = t.rows
    .map((r, ri) => {
      const rc = opts.rowClass?.[ri];
      const tr = rc ? `<tr class="${escapeHtml(rc)}">` : '<tr>';
      return `${tr}${r.map((c, i) => `<td${cls(i)}>${cellHtml(c, t.header[i] ?? '')}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const caption = opts.caption ? `<caption>${escapeHtml(opts.caption)}</caption>` : '';
  return (
    `<div class="table-wrap"><table${opts.className ? ` class="${escapeHtml(opts.className)}"` : ''}>${caption}` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}
