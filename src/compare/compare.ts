import { analyze } from '../analysis/analyze.js';
import type { Analysis, AnalysisOptions } from '../analysis/types.js';
import { UserError } from '../errors.js';
import type { ResultsFile } from '../results/schema.js';
import { checkCompatibility, describeDifference } from './compatibility.js';
import { differenceInterval } from './difference.js';
import { judgeGate } from './gate.js';
import { figureKey, METRICS, runFigures } from './metrics.js';
import { benjaminiHochberg } from './multiple-testing.js';
import type { Thresholds } from './thresholds.js';
import {
  COMPARISON_SCHEMA,
  COMPARISON_SCHEMA_VERSION,
  type Comparison,
  type Compatibility,
  type ComparisonSummary,
  type Figure,
  type MetricComparison,
  type MetricDefinition,
  type RunRef,
} from './types.js';
import { judge, relativeChange } from './verdict.js';

export interface CompareOptions {
  /** Default: the candidate spec's thresholds (flags are applied to those by the command). */
  thresholds?: Thresholds;
  /**
   * Compare what both runs share instead of refusing runs whose modes or tiers differ, and let a candidate
   * with failed or missing cells pass the gate on what it did measure.
   */
  allowPartial?: boolean;
}

export interface AnalysedRun {
  results: ResultsFile;
  analysis: Analysis;
}

function runRef(r: ResultsFile): RunRef {
  return {
    runId: r.runId,
    specName: r.spec.name,
    startedAt: r.startedAt,
    status: r.status,
    repetitions: r.spec.repetitions,
    platform: r.environment.platform,
    proxy: `${r.environment.proxy.name} ${r.environment.proxy.version}`,
  };
}

type Unjudged = Omit<MetricComparison, 'verdict' | 'judged' | 'reason'>;

/** A row with its figures and interval; judged once every row's p-value is known (see judgeAll). */
function compareFigure(
  def: MetricDefinition,
  mode: MetricComparison['mode'],
  tier: string,
  a: Figure | undefined,
  b: Figure | undefined,
  thresholds: Thresholds,
): Unjudged {
  const base = {
    mode,
    tier,
    metric: def.id,
    label: def.label,
    unit: def.unit,
    threshold: thresholds[def.thresholdKey],
    flags: { baseline: a?.flags ?? [], candidate: b?.flags ?? [] },
  };
  if (!a || !b) {
    return {
      ...base,
      baseline: a?.value ?? null,
      candidate: b?.value ?? null,
      change: null,
      relativeChange: null,
      interval: null,
      noise: null,
    };
  }
  const change = b.value - a.value;
  const rel = relativeChange(a.value, change);
  return {
    ...base,
    baseline: a.value,
    candidate: b.value,
    change,
    relativeChange: Number.isFinite(rel) ? rel : null,
    interval: differenceInterval(change, a.perRepetition, b.perRepetition, thresholds.confidence),
    noise: a.noise === null || b.noise === null ? null : Math.max(a.noise, b.noise),
  };
}

/**
 * Verdicts for every row. The p-values of all rows with an interval go through Benjamini-Hochberg at
 * q = 1 - confidence, so that comparing many modes, tiers and metrics does not raise the chance of calling
 * a change where there is none (see compare/multiple-testing.ts).
 */
function judgeAll(rows: readonly Unjudged[], confidence: number): MetricComparison[] {
  const tested = rows.filter((r) => r.interval !== null);
  const rejected = benjaminiHochberg(
    tested.map((r) => r.interval?.pValue ?? 1),
    1 - confidence,
  );
  const discovery = new Map(tested.map((r, i) => [r, rejected[i] ?? false]));
  return rows.map((r) => {
    if (r.change === null || r.baseline === null) {
      return { ...r, verdict: 'unchanged', judged: false, reason: 'no-data' };
    }
    return {
      ...r,
      ...judge({
        baseline: r.baseline,
        change: r.change,
        interval: r.interval,
        noise: r.noise,
        limit: r.threshold,
        discovery: discovery.get(r) ?? false,
      }),
    };
  });
}

function summarise(rows: readonly MetricComparison[]): ComparisonSummary {
  return {
    total: rows.length,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
    unchanged: rows.filter((r) => r.verdict === 'unchanged' && r.judged).length,
    notJudged: rows.filter((r) => !r.judged).length,
  };
}

/**
 * The modes and tiers two runs can be compared on. Throws a UserError listing the differences when they
 * cannot be: always for 'refuses' differences, for 'excludes' ones unless allowPartial, and when nothing
 * comparable is left.
 */
export function comparableOrThrow(
  baseline: ResultsFile,
  candidate: ResultsFile,
  allowPartial: boolean,
): Compatibility {
  const compatibility = checkCompatibility(baseline, candidate);
  const refusing = compatibility.differences.filter((d) => d.impact === 'refuses');
  const excluding = compatibility.differences.filter((d) => d.impact === 'excludes');
  if (refusing.length > 0) {
    throw new UserError(
      'the two runs cannot be compared: they were measured on different set-ups',
      compatibility.differences.filter((d) => d.impact !== 'note').map(describeDifference),
      'compare results of the same platform and load engine',
    );
  }
  if (excluding.length > 0 && !allowPartial) {
    throw new UserError(
      'the two runs come from different specs or proxy versions',
      excluding.map(describeDifference),
      'compare results of the same spec, or pass --allow-partial to compare only the modes and tiers both runs share',
    );
  }
  if (compatibility.modes.length === 0 || compatibility.tiers.length === 0) {
    throw new UserError(
      'the two runs have no mode and tier in common that can be compared',
      excluding.map(describeDifference),
      'compare results of the same spec',
    );
  }
  return compatibility;
}

/**
 * Two analysed runs in, a verdict per mode x tier x metric out. Pure. Throws a UserError when the runs
 * cannot be compared (see comparableOrThrow).
 */
export function compareAnalyses(
  baseline: AnalysedRun,
  candidate: AnalysedRun,
  opts: CompareOptions = {},
): Comparison {
  const thresholds = opts.thresholds ?? candidate.results.spec.thresholds;
  const compatibility = comparableOrThrow(baseline.results, candidate.results, Boolean(opts.allowPartial));

  const index = (run: AnalysedRun) => new Map(runFigures(run.analysis).map((f) => [figureKey(f), f]));
  const figuresA = index(baseline);
  const figuresB = index(candidate);
  const rows: Unjudged[] = [];
  for (const tier of compatibility.tiers) {
    for (const mode of compatibility.modes) {
      for (const def of METRICS) {
        const key = figureKey({ mode, tier, metric: def.id });
        const a = figuresA.get(key);
        const b = figuresB.get(key);
        // A metric neither run has (proxy figures of baseline, latency added without a baseline) is no row.
        if (!a && !b) continue;
        rows.push(compareFigure(def, mode, tier, a, b, thresholds));
      }
    }
  }

  const metrics = judgeAll(rows, thresholds.confidence);
  const summary = summarise(metrics);
  const warnings: string[] = [];
  for (const [label, run] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    if (run.results.status !== 'complete')
      warnings.push(`the ${label} run is ${run.results.status}: figures cover the cells it finished`);
    if (run.results.spec.repetitions < 2) {
      warnings.push(
        `the ${label} run has a single repetition: no change can be told from noise, so nothing is judged; run nightly jobs with 3 or more repetitions`,
      );
    }
    for (const f of run.analysis.flagged) {
      if (compatibility.modes.includes(f.mode) && compatibility.tiers.includes(f.tier)) {
        warnings.push(`${label} run, ${f.mode} / ${f.tier}: ${f.flags.join(', ')}`);
      }
    }
  }
  return {
    schema: COMPARISON_SCHEMA,
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    baseline: runRef(baseline.results),
    candidate: runRef(candidate.results),
    thresholds,
    compatibility,
    metrics,
    summary,
    verdict: summary.regressions > 0 ? 'regression' : summary.improvements > 0 ? 'improvement' : 'unchanged',
    gate: judgeGate(candidate.results, compatibility, summary, Boolean(opts.allowPartial)),
    warnings,
  };
}

/** Analyses both results files (same analysis options for both) and compares them. */
export function compareRuns(
  baseline: ResultsFile,
  candidate: ResultsFile,
  opts: CompareOptions & { analysis?: Partial<AnalysisOptions> } = {},
): Comparison {
  comparableOrThrow(baseline, candidate, Boolean(opts.allowPartial)); // before the costly analyses
  return compareAnalyses(
    { results: baseline, analysis: analyze(baseline, opts.analysis) },
    { results: candidate, analysis: analyze(candidate, opts.analysis) },
    opts,
  );
}
