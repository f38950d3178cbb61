import type { Flag } from '../analysis/types.js';
import type { ModeName } from '../modes/mode.js';
import type { RunStatus } from '../results/schema.js';
import type { Limit, ThresholdKey, Thresholds } from './thresholds.js';

/**
 * What `meshbench compare` computes from two results files: one row per mode x tier x metric with the change,
 * an interval on it and a verdict. Pure data, rendered as Markdown, JUnit XML or JSON by src/report/.
 */
export const COMPARISON_SCHEMA = 'meshbench/comparison';
export const COMPARISON_SCHEMA_VERSION = 1;

export type MetricId =
  | 'latency-p50'
  | 'latency-p99'
  | 'latency-p999'
  | 'added-p50'
  | 'added-p99'
  | 'added-p999'
  | 'proxy-cpu-per-1000rps'
  | 'proxy-memory'
  | 'cost-per-pod'
  | 'error-rate';

export type MetricUnit = 'ms' | 'millicores' | 'MiB' | 'USD/month' | 'ratio';

export interface MetricDefinition {
  id: MetricId;
  /** Short, for tables: "p99 added". */
  label: string;
  unit: MetricUnit;
  thresholdKey: ThresholdKey;
  /** One sentence: what the figure is. */
  description: string;
}

/** How a figure varies over one run's repetitions: what the interval on a difference is built from. */
export interface RepetitionSummary {
  n: number;
  mean: number;
  /** Sample standard deviation; null with one repetition. */
  stddev: number | null;
}

/** One run's figure of one metric for one mode x tier. */
export interface Figure {
  mode: ModeName;
  tier: string;
  metric: MetricId;
  /** The headline figure, the same number the run's report shows. */
  value: number;
  perRepetition: RepetitionSummary | null;
  /** How much the figure moves within the run (see compare/metrics.ts); null with one repetition. */
  noise: number | null;
  flags: Flag[];
}

/** Interval on candidate - baseline. */
export interface DifferenceInterval {
  low: number;
  high: number;
  /** e.g. 0.95. */
  level: number;
  /** Welch-Satterthwaite t-interval from per-repetition summaries, centred on the headline difference. */
  method: 'welch-t';
  df: number;
  /** Two-sided p-value of the change: t = change / standard error, Welch-Satterthwaite df. */
  pValue: number;
}

export type Verdict = 'regression' | 'improvement' | 'unchanged';

/**
 * Why a row got its verdict; the first gate a change failed to clear, in the order they are checked:
 * - 'regression' / 'improvement': every gate cleared;
 * - 'no-data': a run has no figure (no successful repetition, or no proxies sampled) — not judged;
 * - 'no-interval': a run has fewer than two repetitions, so neither an interval nor its noise exists — not judged;
 * - 'below-threshold': the change is not larger than both the relative and the absolute threshold;
 * - 'not-significant': the interval on the difference contains 0;
 * - 'multiple-testing': the interval excludes 0, but with this many metrics compared one such interval is
 *   expected by chance (Benjamini-Hochberg, see compare/multiple-testing.ts);
 * - 'within-noise': the change is not larger than the noise of either run.
 */
export type VerdictReason =
  | 'regression'
  | 'improvement'
  | 'no-data'
  | 'no-interval'
  | 'below-threshold'
  | 'not-significant'
  | 'multiple-testing'
  | 'within-noise';

export interface MetricComparison {
  mode: ModeName;
  tier: string;
  metric: MetricId;
  label: string;
  unit: MetricUnit;
  baseline: number | null;
  candidate: number | null;
  /** candidate - baseline. */
  change: number | null;
  /** change / |baseline|; null when there is no change or the baseline figure is 0. */
  relativeChange: number | null;
  interval: DifferenceInterval | null;
  /** The larger of both runs' noise for this figure. */
  noise: number | null;
  threshold: Limit;
  verdict: Verdict;
  /** False when the row could not be judged (reason 'no-data' or 'no-interval'): its verdict is 'unchanged'. */
  judged: boolean;
  reason: VerdictReason;
  flags: { baseline: Flag[]; candidate: Flag[] };
}

/**
 * A difference between the two runs' specs or environments:
 * - 'refuses': nothing can be compared (platform, engine, proxy implementation or version, mesh versions);
 * - 'excludes': some modes or tiers cannot be compared (refused unless --allow-partial);
 * - 'note': compared anyway, but it may explain a change (repetitions, app delay, prices, host...).
 */
export interface Difference {
  subject: string;
  baseline: string;
  candidate: string;
  impact: 'refuses' | 'excludes' | 'note';
}

export interface Compatibility {
  differences: Difference[];
  /** Modes and tiers present, and comparable, in both runs, in the candidate's order. */
  modes: ModeName[];
  tiers: string[];
  /** Whether anything had to be left out. */
  partial: boolean;
}

export interface RunRef {
  runId: string;
  specName: string;
  startedAt: string;
  status: RunStatus;
  repetitions: number;
  platform: string;
  proxy: string;
}

export interface ComparisonSummary {
  total: number;
  regressions: number;
  improvements: number;
  unchanged: number;
  notJudged: number;
}

/** A compared mode x tier whose candidate cells were not all measured. */
export interface Gap {
  mode: ModeName;
  tier: string;
  /** Repetitions the candidate's spec planned. */
  planned: number;
  /** Repetitions measured (status ok). */
  measured: number;
  failed: number;
  /** Cells stopped by an interruption (status skipped). */
  interrupted: number;
  /** Planned repetitions with no cell at all (the run ended before them). */
  missing: number;
  /** The first failed cell's error, for the headline. */
  firstError?: string;
}

/** Whether the candidate passes the nightly gate (compare/gate.ts); `meshbench compare` exits 1 when not. */
export interface Gate {
  passed: boolean;
  /** Why it did not pass, one line each (regressions, gaps in the candidate, nothing judged). */
  failures: string[];
  /** Gaps in the candidate that --allow-partial let pass. */
  allowed: string[];
  gaps: Gap[];
}

export interface Comparison {
  schema: typeof COMPARISON_SCHEMA;
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  baseline: RunRef;
  candidate: RunRef;
  thresholds: Thresholds;
  compatibility: Compatibility;
  /** Tier-major, then mode, then metric, in the candidate spec's order. */
  metrics: MetricComparison[];
  summary: ComparisonSummary;
  /** 'regression' when any row is one; else 'improvement' when any row is one; else 'unchanged'. */
  verdict: Verdict;
  /** The nightly gate: fails on a regression, on a candidate with failed or missing cells, on nothing judged. */
  gate: Gate;
  warnings: string[];
}
