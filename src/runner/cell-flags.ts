import { RATE_TOLERANCE, rateMissed } from '../analysis/rate-missed.js';
import { k6ShortageFlags } from '../engines/k6/diagnosis.js';
import type { LatencyResult } from '../results/schema.js';

/** Warnings a single cell carries into every output. */
export function cellFlags(l: LatencyResult): string[] {
  const flags: string[] = [];
  if (rateMissed(l.targetRps, l.achievedRps)) flags.push('rate-missed');
  if (l.dropped > 0) flags.push('dropped');
  if (l.requests - l.ok > 0) flags.push('errors');
  if (l.requests === 0) flags.push('no-requests');
  // k6 cells that dropped or missed their rate: whether k6 itself was short of CPU or VUs (engines/k6/diagnosis.ts).
  flags.push(...k6ShortageFlags(l, RATE_TOLERANCE));
  return flags;
}
