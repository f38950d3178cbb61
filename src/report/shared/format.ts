import { mdCell } from './markdown-escape.js';

/**
 * Number and table formatting shared by the text reports. Locale-independent on purpose (no toLocaleString):
 * a report rebuilt on another machine must be byte-identical.
 */

/** U+2212, the typographic minus: reads better than a hyphen next to an en dash in "−0.05–0.12". */
export const MINUS = '\u2212';
/** U+2013, for ranges. */
export const EN_DASH = '\u2013';
export const WARNING_SIGN = '\u26a0';

/**
 * Decimals for latency figures in milliseconds, chosen from the largest magnitude shown together: three
 * below 0.1 ms (1 us, the histogram's resolution there), two below 10 ms, one below 100 ms, none above.
 */
export function msDecimals(...valuesMs: number[]): number {
  const m = Math.max(0, ...valuesMs.filter(Number.isFinite).map(Math.abs));
  if (m < 0.1) return 3;
  if (m < 10) return 2;
  if (m < 100) return 1;
  return 0;
}

/** Fixed decimals with a typographic minus, never "-0.00". */
export function formatNumber(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '\u221e' : x < 0 ? `${MINUS}\u221e` : 'n/a';
  const s = Math.abs(x).toFixed(decimals);
  const isZero = Number(s) === 0;
  return x < 0 && !isZero ? `${MINUS}${s}` : s;
}

/** Like formatNumber, with an explicit sign: "+0.42", "−0.05", "0.00". */
export function formatSigned(x: number, decimals: number): string {
  const s = formatNumber(x, decimals);
  return s.startsWith(MINUS) || Number(s) === 0 ? s : `+${s}`;
}

export function formatMs(x: number, decimals = msDecimals(x)): string {
  return formatNumber(x, decimals);
}

/** Thousands separated by commas, for counts and dollars. */
function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatCount(n: number): string {
  return group(String(Math.round(n)));
}

/** Dollars with cents: "$2.50", "$1,234.56". */
export function formatUsd(x: number): string {
  const [i = '0', f = '00'] = Math.abs(x).toFixed(2).split('.');
  const sign = x < 0 && Number(`${i}.${f}`) !== 0 ? MINUS : '';
  return `${sign}$${group(i)}.${f}`;
}

/** 0.123 -> "12.3%". */
export function formatPercent(ratio: number, decimals = 1): string {
  return `${formatNumber(ratio * 100, decimals)}%`;
}

/** Millicores and MiB: one decimal below 100, none above (sampler precision is about 1 m / 0.1 MiB). */
export function formatResource(x: number): string {
  return formatNumber(x, Math.abs(x) < 100 ? 1 : 0);
}

export function formatRange(low: string, high: string): string {
  return `${low}${EN_DASH}${high}`;
}

export type Align = 'left' | 'right';

/**
 * A GitHub-flavoured Markdown table. Every cell is text, escaped by mdCell (markdown-escape.ts): a cell
 * never carries markup, so whatever a run id, tier or error message holds, it shows as written.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  const rule = header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** "⚠ rate-missed, dropped", or "" without flags: appended next to the figures they qualify. */
export function flagNote(flags: readonly string[]): string {
  return flags.length === 0 ? '' : `${WARNING_SIGN} ${flags.join(', ')}`;
}

export function withFlags(text: string, flags: readonly string[]): string {
  const note = flagNote(flags);
  return note === '' ? text : `${text} ${note}`;
}
