import type { ModeName } from '../modes/mode.js';
import type { ResultsFile } from '../results/schema.js';
import type { Compatibility, ComparisonSummary, Gate, Gap } from './types.js';

/**
 * The nightly gate: whether a candidate run may pass. A comparison with no regression is not yet a pass: a
 * candidate whose cells failed or are missing was not measured where it failed, so "no regression" there
 * means nothing. The gate fails on:
 *  - any regression;
 *  - a compared mode x tier whose candidate cells are not all measured (failed, interrupted, missing), or a
 *    candidate run that did not complete, unless `allowPartial` (then listed as allowed gaps);
 *  - nothing judged at all (no metric, or none with the data or repetitions to judge it): always, because a
 *    gate that judged nothing cannot pass anything.
 * Pure: results and the comparison's summary in, the gate out.
 */
export function candidateGaps(candidate: ResultsFile, compatibility: Compatibility): Gap[] {
  const gaps: Gap[] = [];
  const planned = candidate.spec.repetitions;
  for (const tier of compatibility.tiers) {
    for (const mode of compatibility.modes) {
      const cells = candidate.cells.filter((c) => c.mode === mode && c.tier === tier);
      const ok = cells.filter((c) => c.status === 'ok').length;
      const failed = cells.filter((c) => c.status === 'failed');
      const skipped = cells.filter((c) => c.status === 'skipped').length;
      const missing = Math.max(0, planned - cells.length);
      if (ok >= planned) continue;
      gaps.push({
        mode: mode as ModeName,
        tier,
        planned,
        measured: ok,
        failed: failed.length,
        interrupted: skipped,
        missing,
        ...(failed[0]?.error ? { firstError: failed[0].error } : {}),
      });
    }
  }
  return gaps;
}

/** "istio-sidecar / low: 0 of 3 repetitions measured (3 failed: connection refused)". */
export function describeGap(g: Gap): string {
  const parts = [
    g.failed > 0 ? `${g.failed} failed${g.firstError ? `: ${g.firstError.split('\n')[0]}` : ''}` : '',
    g.interrupted > 0 ? `${g.interrupted} interrupted` : '',
    g.missing > 0 ? `${g.missing} missing` : '',
  ].filter(Boolean);
  return `${g.mode} / ${g.tier}: ${g.measured} of ${g.planned} repetitions measured (${parts.join('; ')})`;
}

export function judgeGate(
  candidate: ResultsFile,
  compatibility: Compatibility,
  summary: ComparisonSummary,
  allowPartial: boolean,
): Gate {
  const gaps = candidateGaps(candidate, compatibility);
  const incomplete: string[] = gaps.map(describeGap);
  if (candidate.status !== 'complete')
    incomplete.unshift(
      `the candidate run is ${candidate.status}${candidate.error ? `: ${candidate.error.split('\n')[0]}` : ''}`,
    );
  const failures: string[] = [];
  if (summary.regressions > 0)
    failures.push(`${summary.regressions} regression${summary.regressions > 1 ? 's' : ''}`);
  if (!allowPartial) failures.push(...incomplete);
  const judged = summary.total - summary.notJudged;
  if (judged === 0)
    failures.push(
      summary.total === 0
        ? 'nothing could be judged: the runs share no metric'
        : `nothing could be judged: none of the ${summary.total} metrics has the data (or the repetitions) to tell a change from noise`,
    );
  return {
    passed: failures.length === 0,
    failures,
    allowed: allowPartial ? incomplete : [],
    gaps,
  };
}
