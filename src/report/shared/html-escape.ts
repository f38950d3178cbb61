/** Escaping for the HTML report: text, attributes, and what goes inside <script> elements. */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values: every character that can end or start markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for a <script type="application/json"> element. '<', '>' and '&' become \u003c, \u003e, \u0026, which
 * JSON.parse reads back unchanged, so no string in the data can close the element ("</script>") or open a
 * comment ("<!--") whatever it contains; U+2028/U+2029 likewise, for older parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source for an inline <script> element. The HTML parser ends a script at "</script" whatever the
 * JavaScript around it means, and "<!--" followed by "<script" changes how it looks for that end. In a
 * minified bundle those sequences can only occur inside string, template or regular-expression literals (in
 * code they would be a syntax error or the legacy HTML-comment syntax), where "<\/" and "\x3C!--" mean the
 * same characters, so the rewrite keeps the program's meaning. Checked on every bundle by the browser test.
 */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
}
