import type { Align } from '../../src/report/shared/format.js';
import type { TableData } from '../../src/report/shared/table.js';

/**
 * Reads a GitHub-flavoured Markdown table back as data, for tests that check report.md against the HTML page
 * or against the figures. The exact inverse of markdownTable()'s cell escaping (backslash escapes), so a test
 * sees the very strings the report formatted.
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

export function parseMarkdownTable(md: string): TableData {
  const lines = md.split('\n').filter((l) => l.trim() !== '');
  const [head, rule, ...body] = lines;
  if (head === undefined || rule === undefined) throw new Error('not a Markdown table: fewer than two lines');
  const header = splitRow(head);
  const align = splitRow(rule).map((r): Align => (r.endsWith(':') ? 'right' : 'left'));
  if (align.length !== header.length) throw new Error('Markdown table: rule and header differ in width');
  return { header, rows: body.map(splitRow), align };
}
