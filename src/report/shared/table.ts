import { markdownTable, type Align } from './format.js';

/**
 * A table as data: header, rows of cell texts and column alignment. Every report builds its tables as this,
 * and Markdown (markdownTable) and HTML only serialise it, so both outputs show the same cells.
 */
export interface TableData {
  header: string[];
  rows: string[][];
  align: Align[];
}

/** The table as GitHub-flavoured Markdown (cells escaped by markdownTable). */
export function markdownTableOf(t: TableData): string {
  return markdownTable(t.header, t.rows, t.align);
}

/** A table from its parts; columns without an alignment are left-aligned. */
export function tableOf(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): TableData {
  return {
    header: [...header],
    rows: rows.map((r) => [...r]),
    align: header.map((_, i) => align[i] ?? 'left'),
  };
}
