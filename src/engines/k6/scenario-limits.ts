import { UserError } from '../../errors.js';
import type { ResolvedSpec, Tier } from '../../spec/schema.js';

/**
 * k6 refuses a scenario shorter than 1 s before it sends a request ("the duration must be at least 1s, but is
 * 500ms", exit 104): every duration-based executor's Validate() checks it against minDuration = 1 s (grafana/k6
 * lib/executor, since the executors came in v0.27; recorded in shared/fixtures/k6/scenario-too-short). The same
 * rule holds for the cluster's grafana/k6 image, which runs the same scenario.
 */
export const K6_MIN_SCENARIO_MS = 1000;

/** A tier's warm-up and measure window as the k6 scenario gets them: whole milliseconds. */
export function scenarioMs(seconds: number): number {
  return Math.max(0, Math.round(seconds * 1000));
}

/** A warm-up meshbench lengthened so that k6 accepts it. */
export interface K6WarmupChange {
  tier: string;
  fromSec: number;
  toSec: number;
}

/**
 * What `k6Env` must never be given: a measure window under 1 s, or a warm-up between 0 and 1 s. Thrown before k6
 * starts, so a tier k6 would refuse fails at once instead of as k6 exit 104 in every cell.
 */
export function assertK6AcceptsTier(tier: Tier): void {
  const measure = scenarioMs(tier.durationSec);
  const warmup = scenarioMs(tier.warmupSec);
  if (measure < K6_MIN_SCENARIO_MS)
    throw new Error(
      `k6 engine: tier ${tier.name} measures for ${measure} ms; k6 refuses scenarios under ${K6_MIN_SCENARIO_MS} ms`,
    );
  if (warmup > 0 && warmup < K6_MIN_SCENARIO_MS)
    throw new Error(
      `k6 engine: tier ${tier.name} warms up for ${warmup} ms; k6 refuses scenarios under ${K6_MIN_SCENARIO_MS} ms (fitSpecToK6 lengthens it)`,
    );
}

/**
 * The spec as k6 will run it, decided before anything starts:
 * - a measure window under 1 s is refused (UserError, exit 2, naming the field): it is what the report measures,
 *   so meshbench does not change it behind the user's back;
 * - a warm-up between 0 and 1 s is lengthened to 1 s and reported in `warmups`: the warm-up is never measured,
 *   and k6 gives no way to tell a folded-in short warm-up's dropped iterations (which carry no per-request tag)
 *   from the measure window's, since its CSV timestamps are whole seconds. `--quick` uses 0.5 s warm-ups below
 *   1000 RPS, which k6 thus runs for 1 s; the builtin engine keeps 0.5 s.
 * A warm-up of 0 stays 0: the scenario then has no warm-up scenario at all.
 */
export function fitSpecToK6(spec: ResolvedSpec): { spec: ResolvedSpec; warmups: K6WarmupChange[] } {
  const problems = spec.tiers.flatMap((t, i) => {
    const ms = scenarioMs(t.durationSec);
    return ms < K6_MIN_SCENARIO_MS
      ? [
          `tiers[${i}].durationSec (tier ${t.name}): ${t.durationSec} s is shorter than the 1 s k6 accepts for a scenario (k6 would exit 104 in every cell)`,
        ]
      : [];
  });
  if (problems.length > 0)
    throw new UserError(
      `the k6 engine cannot run ${problems.length === 1 ? 'a tier' : `${problems.length} tiers`} of this spec`,
      problems,
      spec.platform === 'kubernetes'
        ? 'set durationSec to 1 or more: load in a cluster always runs as k6'
        : 'set durationSec to 1 or more, or use --engine builtin (it has no minimum)',
    );
  const warmups: K6WarmupChange[] = [];
  const tiers = spec.tiers.map((t) => {
    const ms = scenarioMs(t.warmupSec);
    if (ms === 0 || ms >= K6_MIN_SCENARIO_MS) return t;
    const toSec = K6_MIN_SCENARIO_MS / 1000;
    warmups.push({ tier: t.name, fromSec: t.warmupSec, toSec });
    return { ...t, warmupSec: toSec };
  });
  return { spec: warmups.length > 0 ? { ...spec, tiers } : spec, warmups };
}

/** One line for the console and `plan`: which warm-ups k6 runs longer, and why. */
export function describeWarmupChanges(warmups: K6WarmupChange[]): string | undefined {
  if (warmups.length === 0) return undefined;
  const list = warmups.map((w) => `${w.tier} ${w.fromSec} s -> ${w.toSec} s`).join(', ');
  return `k6: warm-up lengthened to 1 s (${list}): k6 refuses scenarios shorter than 1 s; the warm-up is not measured`;
}
