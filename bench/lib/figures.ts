/**
 * One figure of the bench summary: what was measured, what it is compared with (measured in the same run),
 * the ratio of the two, and, where the issue sets a target, whether it was met.
 */
export interface Figure {
  section: string;
  name: string;
  /** The target, in words ("<= 1.20x", "within 1%"), or '-' for a figure reported without one. */
  target: string;
  measured: string;
  /** What the ratio divides by, e.g. "lowest other p50 112 us (wrk)". */
  versus: string;
  ratio: number;
  /** Undefined: no target. */
  pass?: boolean;
}

/** What each bench section returns: its summary figures and its detail table (plain text). */
export interface SectionResult {
  figures: Figure[];
  detail: string;
}

export function fmtUs(us: number): string {
  if (!Number.isFinite(us)) return 'n/a';
  return us >= 10_000
    ? `${(us / 1000).toFixed(1)} ms`
    : us >= 1000
      ? `${(us / 1000).toFixed(2)} ms`
      : `${us.toFixed(0)} us`;
}

export function fmtPct(x: number, digits = 2): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;
}

export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(3)}x` : 'n/a';
}

function passText(p: boolean | undefined): string {
  return p === undefined ? '-' : p ? 'PASS' : 'FAIL';
}

const HEAD = ['section', 'figure', 'target', 'measured', 'versus (same run)', 'ratio', 'pass'];

function cells(f: Figure): string[] {
  return [f.section, f.name, f.target, f.measured, f.versus, fmtRatio(f.ratio), passText(f.pass)];
}

/** A plain-text table with padded columns, for the terminal. */
export function textTable(figures: readonly Figure[]): string {
  const rows = [HEAD, ...figures.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(HEAD),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...figures.map((f) => line(cells(f))),
  ].join('\n');
}

export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function figuresMarkdown(figures: readonly Figure[]): string {
  return markdownTable(HEAD, figures.map(cells));
}

/** Plain-text table of detail rows (any columns), for a bench's own output. */
export function detailTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
