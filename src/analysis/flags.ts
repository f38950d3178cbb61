import { rateMissed } from './rate-missed.js';
import type { Flag, KnownFlag } from './types.js';

/** Known flags first, most serious first; anything else after, alphabetically: stable output for reports. */
const ORDER: readonly KnownFlag[] = [
  'no-data',
  'failed-cells',
  'incomplete',
  'rate-missed',
  'dropped',
  'errors',
];

function rank(flag: string): number {
  const bare = flag.startsWith('baseline:') ? flag.slice('baseline:'.length) : flag;
  const i = (ORDER as readonly string[]).indexOf(bare);
  const own = flag === bare ? 0 : 100;
  return own + (i === -1 ? ORDER.length : i);
}

/** De-duplicated, in canonical order. */
export function normaliseFlags(flags: Iterable<Flag>): Flag[] {
  return [...new Set(flags)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface RepetitionFigures {
  targetRps: number;
  achievedRps: number;
  dropped: number;
  errorCount: number;
}

/**
 * Flags of one successful repetition from its own figures; 'rate-missed' by the rule in rate-missed.ts.
 */
export function repetitionFlags(f: RepetitionFigures, rateTolerance: number): Flag[] {
  const flags: Flag[] = [];
  if (rateMissed(f.targetRps, f.achievedRps, rateTolerance)) flags.push('rate-missed');
  if (f.dropped > 0) flags.push('dropped');
  if (f.errorCount > 0) flags.push('errors');
  return flags;
}
