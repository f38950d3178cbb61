import { escapeHtml } from '../../src/report/shared/html-escape.js';

/**
 * A reader of the inline Markdown the reports write (CommonMark backslash escapes, `code` spans of any fence
 * length, **bold**), as HTML: the yardstick for markdown-escape.ts, whose escaped text must read back as
 * exactly the original text. It was the run page's renderer of its lists until those became data.
 */
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
