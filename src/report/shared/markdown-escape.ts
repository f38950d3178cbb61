/**
 * Escaping for text that meshbench did not write (run ids, host names, versions, error messages, tier and
 * service names, file paths: anything read from results.json, a spec or an inventory) before it goes into
 * Markdown. Every Markdown writer uses these, as the HTML pages use html-escape.ts: on GitHub and GitLab a raw
 * `<script>` is sanitised but `<!--` hides the rest of the page, `<img src=x>` and `[link](javascript:…)`
 * render, a newline in a run id starts a heading, and a `|` breaks a table.
 *
 * Escapes are CommonMark backslash escapes (any ASCII punctuation may be escaped), so the rendered text is
 * exactly the original (test/helpers/markdown-inline.ts reads them back in the tests).
 */

/** Characters that can start inline markup anywhere in a line: HTML, entities, links, emphasis, code, tables. */
const INLINE_SPECIAL = /[\\`*[\]<>&|~]/g;

/** `_` opens or closes emphasis only next to a non-word character; inside a word (a_b) it is plain text. */
const LONE_UNDERSCORE = /(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu;

/** Line breaks (CommonMark: LF, CR, CRLF) would start a new block: a heading, a list, a quote. */
const LINE_BREAK = /\r\n|\r|\n/g;

function escapeInline(s: string): string {
  return s
    .replace(LINE_BREAK, ' ')
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(LONE_UNDERSCORE, (m) => m.replace('_', '\\_'));
}

/** Foreign text for inside a line of Markdown (a paragraph, a heading, after other text): on one line, inline specials escaped. */
export function mdText(s: string): string {
  return escapeInline(s);
}

/**
 * Foreign text that starts a list item's content (`- ${mdItem(x)}`): as mdText, and a leading block marker
 * (`#`, `-`, `+`, `=`, `1.`) escaped too, which would otherwise open a heading or a nested list there.
 */
export function mdItem(s: string): string {
  return escapeInline(s).replace(/^(\s*)([#+=-]|\d+(?=[.)]))/, (_m, space: string, marker: string) =>
    /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

/** A Markdown table cell: inline specials (pipes included) escaped, on one line. */
export function mdCell(s: string): string {
  return escapeInline(s);
}

/**
 * Foreign text as an inline code span (a run id): shown verbatim, HTML never interpreted. The fence is longer
 * than any run of backticks inside, and padded when the text starts or ends with a backtick or a space.
 */
export function mdCode(s: string): string {
  const flat = s.replace(LINE_BREAK, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(flat) && flat.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Undoes the backslash escapes of mdText and mdCell (for turning that Markdown into HTML). */
export function unescapeMarkdown(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
