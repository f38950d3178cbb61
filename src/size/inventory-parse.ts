import { UserError } from '../errors.js';
import type { Inventory } from './inventory.js';
import { csvInventoryRows } from './inventory-csv.js';
import { checkRows } from './inventory-row.js';
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
  const read = format === 'csv' ? csvInventoryRows(text) : yamlInventoryRows(text);
  const checked = read.problems.length === 0 ? checkRows(read.rows) : { services: [], problems: [] };
  const problems = [...read.problems, ...checked.problems];
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
