/**
 * CSV fields for text that meshbench did not write (service and namespace names, file paths, warnings), as
 * RFC 4180 and spreadsheets read them: a field with a comma, quote or line break is quoted (quotes doubled);
 * a text field that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return,
 * OWASP's list for CSV injection) gets a leading apostrophe, which spreadsheets show as text. Numbers are
 * written by the caller and never pass through here, so a negative number stays a number.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text field: formula prefixes neutralised, quoted when it must be. */
export function csvText(s: string): string {
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe.startsWith('#') ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A comment line ("# ..."): pandas (read_csv(comment='#')) skips it, but a spreadsheet splits it at commas
 * into cells, and a cell after a comma could start a formula. So: one line, and every comma-separated piece
 * that would start a formula (after any spaces) gets the same apostrophe.
 */
export function csvComment(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, ' ');
  return `# ${flat
    .split(',')
    .map((piece) => piece.replace(/^(\s*)([=+\-@\t])/, "$1'$2"))
    .join(',')}`;
}
