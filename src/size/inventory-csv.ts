import { forEachCsvRecord, type CsvRecord } from './csv-parse.js';
import { ROW_FIELDS, type RawRow } from './inventory-row.js';

/**
 * Rows of a CSV inventory: a header row of field names (ROW_FIELDS, in any order; optional columns may be
 * left out), then one service per line. An empty cell is an absent field. Rows are named by their line.
 * Each row is handed to `onRow` as soon as it is read (a large inventory is checked as it streams by); the
 * problems of the file itself (header, cell counts, an unclosed quote) are returned. When there are any, the
 * rows already handed over must be disregarded.
 */
export function forEachCsvInventoryRow(text: string, onRow: (row: RawRow) => void): string[] {
  const problems: string[] = [];
  let columns: string[] | undefined;
  let headerBad = false;
  const error = forEachCsvRecord(text, (r: CsvRecord) => {
    if (!columns) {
      const header = r;
      columns = header.fields;
      columns.forEach((c, i, all) => {
        if (c === '') problems.push(`line ${header.line}: column ${i + 1} has no name`);
        else if (!(ROW_FIELDS as readonly string[]).includes(c)) {
          problems.push(`line ${header.line}: unknown column '${c}' (known: ${ROW_FIELDS.join(', ')})`);
        } else if (all.indexOf(c) !== i) problems.push(`line ${header.line}: column '${c}' appears twice`);
      });
      headerBad = problems.length > 0;
      return;
    }
    if (headerBad) return; // nothing below a bad header can be read
    if (r.fields.length > columns.length && r.fields.slice(columns.length).some((f) => f !== '')) {
      problems.push(
        `line ${r.line}: ${r.fields.length} cells but the header has ${columns.length} columns (a comma inside a value must be quoted)`,
      );
      return;
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) values[columns[i] as string] = r.fields[i] ?? '';
    onRow({ origin: `line ${r.line}`, values });
  });
  if (error) return [error];
  if (!columns) return ['the file is empty: expected a header row (see examples/inventory.csv)'];
  return problems;
}
