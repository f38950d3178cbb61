import { WARNING_SIGN, type Align } from '../shared/format.js';
import { escapeHtml } from '../shared/html-escape.js';
import { modeColour } from '../shared/mode-colours.js';

/** A table as header, rows of cell texts and column alignment: what markdownTable() prints. */
export interface TableData {
  header: string[];
  rows: string[][];
  align: Align[];
}

/**
 * The cells of one table row as markdownTable() wrote them: "| a | b\|c |" -> ["a", "b|c"]. Exact inverse of
 * its escapeCell (backslash and pipe escaped with a backslash), so the HTML shows the very strings report.md
 * shows, formatted once by the same functions.
 */
function splitRow(line: string): string[] {
  const body = line.trim();
  if (!body.startsWith('|') || !body.endsWith('|')) throw new Error(`not a table row: ${line}`);
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      cell += body[++i];
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  return cells;
}

/** Parses a GitHub-flavoured Markdown table as written by markdownTable(). */
export function parseMarkdownTable(md: string): TableData {
  const lines = md.split('\n').filter((l) => l.trim() !== '');
  const [head, rule, ...body] = lines;
  if (head === undefined || rule === undefined) throw new Error('not a Markdown table: fewer than two lines');
  const header = splitRow(head);
  const align = splitRow(rule).map((r): Align => (r.endsWith(':') ? 'right' : 'left'));
  if (align.length !== header.length) throw new Error('Markdown table: rule and header differ in width');
  return { header, rows: body.map(splitRow), align };
}

export interface HtmlTableOptions {
  /** Accessible caption, shown above the table. */
  caption?: string;
  className?: string;
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
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${cellHtml(c, t.header[i] ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  const caption = opts.caption ? `<caption>${escapeHtml(opts.caption)}</caption>` : '';
  return (
    `<div class="table-wrap"><table${opts.className ? ` class="${escapeHtml(opts.className)}"` : ''}>${caption}` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}

/** A Markdown table from the text reports, rendered as HTML. */
export function markdownTableToHtml(md: string, opts: HtmlTableOptions = {}): string {
  return htmlTable(parseMarkdownTable(md), opts);
}
