import type { ErrorKind } from '../results/schema.js';
import { spreadOrNull } from '../stats/summary.js';
import type { CellGroup, OkCell } from './cells.js';
import { normaliseFlags, repetitionFlags } from './flags.js';
import type { Flag, LoadAnalysis, RepetitionLoad } from './types.js';

/** Any outcome other than 2xx/3xx: requests counts every completed request, ok the 2xx/3xx ones. */
export function errorCount(cell: OkCell): number {
  return Math.max(0, cell.latency.requests - cell.latency.ok);
}

/** Flags of one successful repetition: its own figures plus whatever the runner or engine put on the cell. */
export function okCellFlags(cell: OkCell, targetRps: number, rateTolerance: number): Flag[] {
  const own = repetitionFlags(
    {
      targetRps,
      achievedRps: cell.latency.achievedRps,
      dropped: cell.latency.dropped,
      errorCount: errorCount(cell),
    },
    rateTolerance,
  );
  return normaliseFlags([...own, ...cell.flags]);
}

function addInto<K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>): void {
  for (const [k, v] of Object.entries(from) as [K, number | undefined][]) {
    if (v !== undefined) into[k] = (into[k] ?? 0) + v;
  }
}

/** Achieved vs target rate, drops and errors of one mode x tier, over its ok repetitions. */
export function analyzeLoad(group: CellGroup, targetRps: number, rateTolerance: number): LoadAnalysis {
  const repetitions = new Set<number>(group.byRepetition.keys());
  for (let r = 1; r <= group.planned; r++) repetitions.add(r);
  const perRepetition: RepetitionLoad[] = [...repetitions]
    .sort((a, b) => a - b)
    .map((repetition) => {
      const cell = group.byRepetition.get(repetition);
      const ok = group.ok.find((c) => c.repetition === repetition);
      if (ok) {
        return {
          repetition,
          status: 'ok',
          error: null,
          achievedRps: ok.latency.achievedRps,
          requests: ok.latency.requests,
          errorCount: errorCount(ok),
          dropped: ok.latency.dropped,
          flags: okCellFlags(ok, targetRps, rateTolerance),
        };
      }
      return {
        repetition,
        status: cell?.status ?? 'missing',
        error: cell?.error ?? null,
        achievedRps: null,
        requests: null,
        errorCount: null,
        dropped: null,
        flags: [],
      };
    });
  const achieved = spreadOrNull(group.ok.map((c) => c.latency.achievedRps));
  const requests = group.ok.reduce((s, c) => s + c.latency.requests, 0);
  const okRequests = group.ok.reduce((s, c) => s + c.latency.ok, 0);
  const errors = group.ok.reduce((s, c) => s + errorCount(c), 0);
  const errorsByStatus: Record<string, number> = {};
  const errorsByKind: Partial<Record<ErrorKind, number>> = {};
  for (const c of group.ok) {
    addInto(errorsByStatus, c.latency.errors.byStatus);
    addInto(errorsByKind, c.latency.errors.byKind);
  }
  return {
    targetRps,
    achievedRps: achieved,
    achievedRatio: achieved && targetRps > 0 ? achieved.mean / targetRps : null,
    rateTolerance,
    requests,
    okRequests,
    errorCount: errors,
    errorRate: requests > 0 ? errors / requests : null,
    errorsByStatus,
    errorsByKind,
    dropped: group.ok.reduce((s, c) => s + c.latency.dropped, 0),
    perRepetition,
  };
}

/** Flags of a mode x tier: its ok repetitions' flags plus what is missing. */
export function groupFlags(group: CellGroup, load: LoadAnalysis): Flag[] {
  const flags: Flag[] = load.perRepetition.flatMap((r) => r.flags);
  const failed = load.perRepetition.filter((r) => r.status === 'failed').length;
  if (group.ok.length === 0) flags.push('no-data');
  if (failed > 0) flags.push('failed-cells');
  // Skipped, never reached, or 'ok' without a latency result.
  if (group.ok.length + failed < load.perRepetition.length) flags.push('incomplete');
  return normaliseFlags(flags);
}
