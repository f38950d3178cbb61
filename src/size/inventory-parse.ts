import { UserError } from '../errors.js';
import type { Inventory } from './inventory.js';
import { forEachCsvInventoryRow } from './inventory-csv.js';
import { checkRows, rowsChecker, type RowsResult } from './inventory-row.js';
import { yamlInventoryRows } from './inventory-yaml.js';
import { derivePlacement } from './placement.js';

export type InventoryFormat = 'yaml' | 'csv';

/** The format from the file name: .csv is CSV, .yaml/.yml/.json are YAML (JSON is YAML). */
export function inventoryFormat(path: string): InventoryFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (/\.(ya?ml|json)$/.test(lower)) return 'yaml';
  return null;
}

const MAX_LISTED = 30;

/**
 * Parses and validates a whole inventory, then works out where its pods run. Throws one UserError listing
 * every problem of every row (row, service and field named), so that nothing is sized from a half-valid file.
 */
export function parseInventory(text: string, format: InventoryFormat, source: string): Inventory {
  let readProblems: string[];
  let checked: RowsResult;
  if (format === 'csv') {
    // Each row is checked as it is read, so that 100,000 raw rows are never held at once.
    const checker = rowsChecker();
    readProblems = forEachCsvInventoryRow(text, (row) => checker.add(row));
    checked = checker.result();
  } else {
    const read = yamlInventoryRows(text);
    readProblems = read.problems;
    checked = read.problems.length === 0 ? checkRows(read.rows) : { services: [], problems: [] };
  }
  // Problems of the file itself come alone: rows read past a broken file say nothing.
  const problems = readProblems.length > 0 ? readProblems : checked.problems;
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED);
    if (problems.length > MAX_LISTED) listed.push(`… and ${problems.length - MAX_LISTED} more`);
    throw new UserError(
      `inventory ${source} is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
      listed,
      `fix the rows above; docs/SIZING.md lists the fields and examples/inventory.${format === 'csv' ? 'csv' : 'yaml'} shows one`,
    );
  }
  const placement = derivePlacement(checked.services);
  return {
    source,
    services: checked.services,
    nodes: placement.nodes,
    pools: placement.pools,
    placement: 'derived',
    notes: [],
  };
}
