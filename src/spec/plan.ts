import type { ModeName } from '../modes/mode.js';
import type { ResolvedSpec, Tier } from './schema.js';

export interface PlannedCell {
  mode: ModeName;
  tier: Tier;
  repetition: number;
  /** 0-based position in execution order. */
  index: number;
}

export interface Plan {
  order: 'interleaved' | 'mode-major';
  orderReason?: string;
  cells: PlannedCell[];
  /** Seconds of load (warm-up + measure) plus cool-downs; platform set-up comes on top. */
  expectedSeconds: number;
}

/** Rotates a list left by k (so each repetition starts with a different mode). */
export function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return [];
  const s = ((k % items.length) + items.length) % items.length;
  return [...items.slice(s), ...items.slice(0, s)];
}

/**
 * The execution order, computed before anything runs (pure). Interleaved: for each repetition, for each tier,
 * every mode in an order rotated per repetition, so drift during the run (noisy neighbours, thermal,
 * autoscaling) spreads over all modes instead of biasing the last. Mode-major when asked for, or when the
 * platform cannot hold every mode up at once (`interleaveBlocked` says why; recorded in results.json).
 */
export function planRun(spec: ResolvedSpec, interleaveBlocked?: string): Plan {
  const order = spec.order === 'interleaved' && !interleaveBlocked ? 'interleaved' : 'mode-major';
  const cells: PlannedCell[] = [];
  const push = (mode: ModeName, tier: Tier, repetition: number) =>
    cells.push({ mode, tier, repetition, index: cells.length });
  if (order === 'interleaved') {
    for (let r = 1; r <= spec.repetitions; r++)
      for (const tier of spec.tiers)
        for (const mode of rotate(spec.modes, spec.seed + r - 1)) push(mode, tier, r);
  } else {
    for (const mode of spec.modes)
      for (let r = 1; r <= spec.repetitions; r++) for (const tier of spec.tiers) push(mode, tier, r);
  }
  const expectedSeconds = cells.reduce(
    (s, c) => s + c.tier.warmupSec + c.tier.durationSec + spec.cooldownSec,
    0,
  );
  const plan: Plan = { order, cells, expectedSeconds };
  if (interleaveBlocked && spec.order === 'interleaved') plan.orderReason = interleaveBlocked;
  return plan;
}

/** Seconds left from a cell (and how far into it), for progress ETAs. */
export function secondsRemaining(
  plan: Plan,
  cellIndex: number,
  secondsIntoCell: number,
  cooldownSec: number,
): number {
  let left = 0;
  for (const c of plan.cells.slice(cellIndex)) left += c.tier.warmupSec + c.tier.durationSec + cooldownSec;
  return Math.max(0, left - secondsIntoCell);
}
