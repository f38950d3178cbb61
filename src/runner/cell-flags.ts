import type { LatencyResult } from '../results/schema.js';

/** An achieved rate more than this far below target marks the cell: the open model did not hold. */
export const RATE_TOLERANCE = 0.05;

/** Warnings a single cell carries into every output. */
export function cellFlags(l: LatencyResult): string[] {
  const flags: string[] = [];
  if (l.targetRps > 0 && l.achievedRps < l.targetRps * (1 - RATE_TOLERANCE)) flags.push('rate-missed');
  if (l.dropped > 0) flags.push('dropped');
  if (l.requests - l.ok > 0) flags.push('errors');
  if (l.requests === 0) flags.push('no-requests');
  return flags;
}
