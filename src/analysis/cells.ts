import type { ModeName } from '../modes/mode.js';
import type { CellResult, LatencyResult, ResultsFile } from '../results/schema.js';

/** A successful repetition: status 'ok' with a latency result. Only these enter any figure. */
export type OkCell = CellResult & { latency: LatencyResult };

/** Every cell of one mode at one tier. */
export interface CellGroup {
  mode: ModeName;
  tier: string;
  planned: number;
  /** The last cell recorded per repetition (a re-run repetition replaces the earlier one). */
  byRepetition: Map<number, CellResult>;
  /** Successful repetitions, ascending. */
  ok: OkCell[];
}

export function groupKey(mode: ModeName, tier: string): string {
  return `${mode}\u0000${tier}`;
}

export function isOkCell(c: CellResult): c is OkCell {
  return c.status === 'ok' && c.latency !== undefined;
}

/** Groups cells by mode x tier (every spec mode and tier gets a group, maybe empty) and notes oddities. */
export function groupCells(results: ResultsFile): { groups: Map<string, CellGroup>; warnings: string[] } {
  const warnings: string[] = [];
  const groups = new Map<string, CellGroup>();
  for (const mode of results.spec.modes) {
    for (const tier of results.spec.tiers) {
      groups.set(groupKey(mode, tier.name), {
        mode,
        tier: tier.name,
        planned: results.spec.repetitions,
        byRepetition: new Map(),
        ok: [],
      });
    }
  }
  const ordered = [...results.cells].sort((a, b) => a.index - b.index);
  for (const cell of ordered) {
    const group = groups.get(groupKey(cell.mode, cell.tier));
    if (!group) {
      warnings.push(
        `cell ${cell.mode}/${cell.tier}/${cell.repetition} is not in the spec's modes and tiers: ignored`,
      );
      continue;
    }
    if (group.byRepetition.has(cell.repetition)) {
      warnings.push(
        `cell ${cell.mode}/${cell.tier}/${cell.repetition} appears more than once: the last one is used`,
      );
    }
    group.byRepetition.set(cell.repetition, cell);
  }
  for (const group of groups.values()) {
    for (const cell of group.byRepetition.values()) {
      if (cell.status === 'ok' && !cell.latency) {
        warnings.push(
          `cell ${cell.mode}/${cell.tier}/${cell.repetition} is ok but has no latency result: ignored`,
        );
      }
    }
    group.ok = [...group.byRepetition.values()].filter(isOkCell).sort((a, b) => a.repetition - b.repetition);
  }
  return { groups, warnings };
}
