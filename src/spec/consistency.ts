import type { ResolvedSpec } from './schema.js';

/**
 * Problems between fields that are each valid alone, found before anything starts (`plan` reports them as
 * `run` would): "field.path: what is wrong (what to do)", as validate.ts words schema problems.
 */
export function consistencyProblems(spec: ResolvedSpec): string[] {
  const problems: string[] = [];
  spec.tiers.forEach((t, i) => {
    // The app sleeps delayMs before it answers, so no request can be answered within a shorter timeout:
    // the run would start every mode and then record nothing but timeouts.
    if (spec.app.delayMs >= t.timeoutMs)
      problems.push(
        `tiers[${i}].timeoutMs: ${t.timeoutMs} ms is not longer than app.delayMs (${spec.app.delayMs} ms), so every request of tier ${t.name} would time out (raise timeoutMs above app.delayMs, or lower app.delayMs)`,
      );
  });
  return problems;
}
