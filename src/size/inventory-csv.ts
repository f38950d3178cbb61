import { parseCsv } from './csv-parse.js';
import { ROW_FIELDS, type RawRow } from './inventory-row.js';

/**
 * Rows of a CSV inventory: a header row of field names (ROW_FIELDS, in any order; optional columns may be
 * left out), then one service per line. An empty cell is an absent field. Rows are named by their line.
 */
export function csvInventoryRows(text: string): { rows: RawRow[]; problems: string[] } {
  const { records, error } = parseCsv(text);
  if (error) return { rows: [], problems: [error] };
  const [header, ...data] = records;
  if (!header)
    return { rows: [], problems: ['the file is empty: expected a header row (see examples/inventory.csv)'] };
  const problems: string[] = [];
  const columns = header.fields;
  columns.forEach((c, i) => {
    if (c === '') problems.push(`line ${header.line}: column ${i + 1} has no name`);
    else if (!(ROW_FIELDS as readonly string[]).includes(c)) {
      problems.push(`line ${header.line}: unknown column '${c}' (known: ${ROW_FIELDS.join(', ')})`);
    } else if (columns.indexOf(c) !== i) problems.push(`line ${header.line}: column '${c}' appears twice`);
  });
  if (problems.length > 0) return { rows: [], problems };
  const rows: RawRow[] = [];
  for (const r of data) {
    if (r.fields.length > columns.length && r.fields.slice(columns.length).some((f) => f !== '')) {
      problems.push(
        `line ${r.line}: ${r.fields.length} cells but the header has ${columns.length} columns (a comma inside a value must be quoted)`,
      );
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, i) => (values[c] = r.fields[i] ?? ''));
    rows.push({ origin: `line ${r.line}`, values });
  }
  return { rows, problems };
}
