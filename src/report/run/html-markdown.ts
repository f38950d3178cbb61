import { escapeHtml } from '../shared/html-escape.js';

/**
 * The small subset of Markdown the text reports write in their lists (markdown-*.ts), as HTML: headings,
 * paragraphs, block quotes, bullet lists nested by two spaces, and inline `code` and **bold**. Used for the
 * lists whose prose lives in one place (the methodology, the k6 diagnosis), so both reports say the same
 * thing. Tables never come through here: they are data (shared/table.ts). Not a general Markdown parser:
 * anything else is shown as escaped text.
 */
export function markdownToHtml(md: string, opts: { headingOffset?: number } = {}): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1] ?? '#').length + (opts.headingOffset ?? 0));
      const text = heading[2] ?? '';
      out.push(`<h${level} id="${slug(text)}">${inline(text)}</h${level}>`);
      i++;
      continue;
    }
    const block = (test: (l: string) => boolean): string[] => {
      const taken: string[] = [];
      while (i < lines.length && test(lines[i] ?? '')) taken.push(lines[i++] ?? '');
      return taken;
    };
    if (/^\s*- /.test(line)) {
      out.push(list(block((l) => /^\s*- /.test(l))));
    } else if (line.startsWith('>')) {
      const quoted = block((l) => l.startsWith('>')).map((l) => l.replace(/^> ?/, ''));
      out.push(`<blockquote>${markdownToHtml(quoted.join('\n'), opts)}</blockquote>`);
    } else {
      const para = block((l) => l.trim() !== '' && !/^(#{1,6} |\s*- |>)/.test(l));
      out.push(`<p>${inline(para.join(' '))}</p>`);
    }
  }
  return out.join('\n');
}

/** Bullet lines, nested by their indentation (two spaces a level). */
function list(items: string[]): string {
  let html = '';
  const depth: number[] = [];
  for (const item of items) {
    const m = /^(\s*)- (.*)$/.exec(item);
    const indent = Math.floor((m?.[1] ?? '').length / 2);
    const text = inline(m?.[2] ?? item);
    if (depth.length === 0 || indent > (depth[depth.length - 1] ?? 0)) {
      html += '<ul><li>';
      depth.push(indent);
    } else {
      while (depth.length > 1 && indent < (depth[depth.length - 1] ?? 0)) {
        html += '</li></ul>';
        depth.pop();
      }
      html += '</li><li>';
    }
    html += text;
  }
  while (depth.length > 0) {
    html += '</li></ul>';
    depth.pop();
  }
  return html;
}

/**
 * Escaped text with `code` spans (any fence length, as markdown-escape.ts's mdCode writes them), **bold**, and
 * CommonMark backslash escapes (mdText's) shown as the characters they stand for. Escaped characters and code
 * spans are set aside first, so that neither can open or close bold.
 */
export function inline(text: string): string {
  const held: string[] = [];
  const hold = (html: string): string => `\uE000${held.push(html) - 1}\uE001`;
  let marked = '';
  for (let i = 0; i < text.length;) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1] as string)) {
      marked += hold(escapeHtml(text[i + 1] as string));
      i += 2;
      continue;
    }
    if (c === '`') {
      const fence = /^`+/.exec(text.slice(i))?.[0] ?? '`';
      const close = findFence(text, i + fence.length, fence.length);
      if (close !== -1) {
        let code = text.slice(i + fence.length, close);
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '')
          code = code.slice(1, -1);
        marked += hold(`<code>${escapeHtml(code)}</code>`);
        i = close + fence.length;
        continue;
      }
      marked += fence;
      i += fence.length;
      continue;
    }
    marked += c;
    i++;
  }
  return escapeHtml(marked)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\uE000(\d+)\uE001/g, (_m, n: string) => held[Number(n)] ?? '');
}

/** Index of the next run of exactly `n` backticks from `from`, or -1. */
function findFence(text: string, from: number, n: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].length === n) return m.index;
  return -1;
}

/** A heading's anchor: lower case, words joined by hyphens. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section'
  );
}
