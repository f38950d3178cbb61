import type { CostBreakdown } from '../cost/resource-cost.js';
import type { ModeName, ProxyRole, ProxyScope, PublishedFigure } from '../modes/mode.js';
import type { CellStatus, ErrorKind, ProxyResources, RunStatus } from '../results/schema.js';
import type { Prices, Tier } from '../spec/schema.js';
import type { OverheadPercentileKey, PercentileKey } from '../stats/percentiles.js';
import type { Spread } from '../stats/summary.js';
import type { WelchResult } from '../stats/welch.js';

/**
 * What analyze() derives from one results.json: everything a report, `compare` or `size` needs, already
 * computed, so that renderers only format. Units are in every field name: Ms (milliseconds), Millicores,
 * MiB, Rps, Usd. Arrays follow the spec's order of modes and tiers, so renderings are deterministic.
 */
export const ANALYSIS_SCHEMA = 'meshbench/analysis';
export const ANALYSIS_SCHEMA_VERSION = 2;

export interface AnalysisOptions {
  /** Two-sided confidence level of every interval. Default 0.95. */
  confidence: number;
  /** Bootstrap resamples per interval. Default 2000. */
  bootstrapIterations: number;
  /** Seed of the bootstrap's PRNG; the same seed and results give the same intervals. Default 1. */
  seed: number;
  /** A repetition is 'rate-missed' when achieved RPS < target x (1 - rateTolerance). Default 0.05. */
  rateTolerance: number;
  /**
   * Overheads use the shift of per-repetition percentiles (analysis/overhead.ts) from this many repetitions
   * a side. Default 8: the 95% interval is then the 14th of 64 differences, beyond the 8 one stalled
   * repetition makes; with 6 a side it is the 6th of 36, which one stalled baseline repetition decides.
   */
  shiftMinRepetitions: number;
  /**
   * ... and when every repetition has at least this many requests beyond the percentile, so that a
   * repetition's percentile is a figure of its own rather than its largest value or two. Default 10
   * (500 RPS x 2 s puts 10 beyond p99; p99.9 would need 10,000).
   */
  shiftMinTailValues: number;
}

/**
 * Warnings attached to figures. Known ones:
 * - 'rate-missed': a repetition's achieved RPS fell short of the target by more than the rate tolerance;
 * - 'dropped': arrivals were dropped because maxInFlight requests were outstanding;
 * - 'errors': some requests failed (non-2xx/3xx, timeout, reset, refused);
 * - 'failed-cells': a repetition failed and is left out of every figure;
 * - 'incomplete': fewer successful repetitions than planned, for reasons other than failure (skipped, run
 *   interrupted);
 * - 'no-data': no successful repetition at all.
 * Flags an engine or the runner put on a cell (CellResult.flags) are carried through unchanged.
 */
export type KnownFlag = 'rate-missed' | 'dropped' | 'errors' | 'failed-cells' | 'incomplete' | 'no-data';
export type Flag = KnownFlag | (string & {});

export type LatencyPercentilesMs = Record<PercentileKey, number>;

export interface TierSummary {
  name: string;
  targetRps: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  payloadBytes: number;
  protocol: Tier['protocol'];
  /** Absent: keep-alive connections for the whole tier. */
  requestsPerConnection?: number;
  maxInFlight: number;
  timeoutMs: number;
}

export interface RepetitionCounts {
  /** spec.repetitions. */
  planned: number;
  /** Repetitions with status 'ok' and a latency result: the ones every figure is computed from. */
  ok: number;
  failed: number;
  skipped: number;
  /** Planned repetitions with no cell in results.json (run interrupted before reaching them). */
  missing: number;
}

export interface RepetitionLatency {
  repetition: number;
  /** Latency values recorded in this repetition. */
  count: number;
  percentilesMs: LatencyPercentilesMs;
}

export interface LatencyAnalysis {
  /** True only when every repetition's histogram is timed from the intended send time. */
  coordinatedOmissionCorrected: boolean;
  /** Values in the merged histogram. */
  count: number;
  /** Percentiles of the histogram merged over all ok repetitions (never averaged percentiles). */
  mergedMs: LatencyPercentilesMs;
  meanMs: number;
  /** Service time (actual send to response), merged, when every ok repetition recorded it. */
  serviceTimeMs: LatencyPercentilesMs | null;
  perRepetition: RepetitionLatency[];
  /** How each per-repetition percentile varies over repetitions. */
  spreadMs: Record<PercentileKey, Spread>;
}

export interface ConfidenceInterval {
  lowMs: number;
  highMs: number;
  /** e.g. 0.95. */
  level: number;
  /**
   * How the interval (and the point) were made (analysis/overhead.ts):
   * - 'shift-repetitions-mann-whitney': Hodges-Lehmann shift of per-repetition percentiles, Mann-Whitney
   *   interval (iterations 0); used when both sides have enough repetitions and every repetition enough values
   *   beyond the percentile;
   * - 'bootstrap-repetitions-percentile': merged percentiles, stratified bootstrap over repetitions.
   */
  method: OverheadMethod;
  iterations: number;
}

export type OverheadMethod = 'shift-repetitions-mann-whitney' | 'bootstrap-repetitions-percentile';

export interface OverheadEstimate {
  /**
   * With the shift method: the median of every difference between a mode repetition's percentile and a
   * baseline repetition's (Hodges-Lehmann). Otherwise: the mode's merged percentile minus baseline's.
   */
  pointMs: number;
  /** pointMs relative to baseline's percentile (0.25 = +25%); null when baseline's percentile is 0. */
  relative: number | null;
  /** Merged percentiles over every request of each side (what the latency table shows). */
  baselineMs: number;
  modeMs: number;
  ci: ConfidenceInterval | null;
  /** Why there is no interval: fewer than two ok repetitions of the mode or of baseline. */
  ciUnavailable: 'single-repetition' | null;
  /** The interval excludes 0. Always false without an interval. */
  distinguishable: boolean;
  /** Welch's t-test on per-repetition percentiles; null with fewer than two repetitions a side. */
  test: WelchResult | null;
}

export interface OverheadAnalysis {
  baseline: ModeName;
  repetitions: { mode: number; baseline: number };
  byPercentile: Record<OverheadPercentileKey, OverheadEstimate>;
  /** The mode's flags plus baseline's (same tier), prefixed 'baseline:', since both sides shape the figure. */
  flags: Flag[];
}

export interface NoiseFloorEstimate {
  /** max - min of baseline's per-repetition percentiles: overheads smaller than this are within noise. */
  rangeMs: number | null;
  stddevMs: number | null;
  /** Half-width of the interval a mode identical to baseline would get (same method as the overhead CIs). */
  ciHalfWidthMs: number | null;
}

/** How much baseline moves between its own repetitions, per tier: the smallest overhead a run can detect. */
export interface NoiseFloor {
  tier: string;
  baseline: ModeName;
  repetitions: number;
  byPercentile: Record<OverheadPercentileKey, NoiseFloorEstimate>;
}

export interface RepetitionLoad {
  repetition: number;
  status: CellStatus | 'missing';
  error: string | null;
  achievedRps: number | null;
  requests: number | null;
  errorCount: number | null;
  dropped: number | null;
  flags: Flag[];
}

export interface LoadAnalysis {
  targetRps: number;
  /** Over ok repetitions; null without any. */
  achievedRps: Spread | null;
  /** Mean achieved / target. */
  achievedRatio: number | null;
  rateTolerance: number;
  /** Sums over ok repetitions. */
  requests: number;
  okRequests: number;
  /** requests - ok: any outcome other than 2xx/3xx. */
  errorCount: number;
  /** errorCount / requests; null without requests. */
  errorRate: number | null;
  errorsByStatus: Record<string, number>;
  errorsByKind: Partial<Record<ErrorKind, number>>;
  dropped: number;
  perRepetition: RepetitionLoad[];
}

export interface ProxyUsage {
  id: string;
  role: ProxyRole | 'unknown';
  scope: ProxyScope | 'unknown';
  node: string | null;
  pod: string | null;
  implementation: string | null;
  /** Sample points pooled over ok repetitions. */
  samples: number;
  /** Over the pooled points of every ok repetition's measure window. */
  cpuMeanMillicores: number;
  cpuP95Millicores: number;
  cpuMaxMillicores: number;
  memMeanMiB: number;
  memMaxMiB: number;
  /** Kubernetes: the container's requests and limits as recorded in the topology; null when not recorded. */
  requests: ProxyResources | null;
  limits: ProxyResources | null;
}

/** Proxies of one role: what `size` turns into requests/limits. Per-proxy figures. */
export interface RoleUsage {
  role: ProxyRole | 'unknown';
  scope: ProxyScope | 'unknown';
  count: number;
  /** Mean over proxies of each proxy's mean. */
  cpuMeanMillicores: number;
  /** Highest per-proxy p95 / max. */
  cpuP95Millicores: number;
  cpuMaxMillicores: number;
  memMeanMiB: number;
  memMaxMiB: number;
  /** Sum over this role's proxies of mean CPU per 1000 achieved RPS; null without achieved RPS. */
  cpuMillicoresPer1000Rps: number | null;
}

export interface UsageSpread {
  cpuMillicores: Spread;
  memMiB: Spread;
}

export interface NodeUsage {
  node: string;
  /** Sum of the mean usage of the node-scope proxies on that node (mean over repetitions). */
  cpuMillicores: number;
  memMiB: number;
}

/**
 * Proxy resources of one mode at one tier. Every aggregate is computed per repetition from the mean usage of
 * each proxy over that repetition's measure window, then summarised over repetitions (Spread: mean, min,
 * max, stddev). Empty (zeros) for a mode without proxies.
 */
export interface ProxyAnalysis {
  count: number;
  /** Pods in the mode's topology (client and servers): the denominator of perPod. */
  pods: number;
  nodes: number;
  perProxy: ProxyUsage[];
  byRole: RoleUsage[];
  /** Sum over all the mode's proxies. */
  total: UsageSpread | null;
  /**
   * All proxy resources of the mode shared out over the pods they serve: total / pods. Sidecars belong to one
   * pod each; a node proxy (ztunnel) serves every pod on its node and a waypoint every pod of its
   * namespace, and since a run's pods are spread over its nodes and share one namespace, both are shared
   * out over all the run's pods. So perPod = sum of every proxy's mean usage / number of pods.
   */
  perPod: (UsageSpread & { byScope: Record<ProxyScope, { cpuMillicores: number; memMiB: number }> }) | null;
  /** Node-scope proxies per node; null when the mode has none. */
  perNode: { nodes: NodeUsage[]; mean: UsageSpread } | null;
  /** total per 1000 achieved RPS (x 1000 / achievedRps), per repetition; null when nothing was achieved. */
  per1000Rps: UsageSpread | null;
}

export interface CostAnalysis {
  /** Cost is of MEASURED mean usage (not requests/limits), at spec.prices. */
  basis: 'measured-mean-usage';
  perPodMonthly: CostBreakdown;
  per100PodsMonthly: CostBreakdown;
  /** perPodMonthly.totalUsd over repetitions. */
  perPodMonthlyUsdSpread: Spread;
}

/** One mode at one tier: the unit every report row is made of. */
export interface ModeTierAnalysis {
  mode: ModeName;
  tier: string;
  repetitions: RepetitionCounts;
  /** Null when no repetition succeeded. */
  latency: LatencyAnalysis | null;
  /** Null for baseline itself, when the run has no baseline, or when either side has no data. */
  overhead: OverheadAnalysis | null;
  load: LoadAnalysis;
  proxies: ProxyAnalysis;
  /** Null when no repetition has proxy samples to price. */
  cost: CostAnalysis | null;
  /** Union over repetitions plus 'failed-cells' / 'incomplete' / 'no-data', in a canonical order. */
  flags: Flag[];
}

export interface Analysis {
  schema: typeof ANALYSIS_SCHEMA;
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  source: {
    runId: string;
    specName: string;
    resultsSchemaVersion: number;
    runStatus: RunStatus;
    startedAt: string;
    finishedAt: string | null;
    runError: string | null;
  };
  options: AnalysisOptions;
  /** 'baseline' when the run measured it; null otherwise (then there is no overhead and no noise floor). */
  baselineMode: ModeName | null;
  /** Modes in the spec's order. */
  modes: ModeName[];
  tiers: TierSummary[];
  prices: Prices;
  /** One per mode x tier, mode-major in spec order. */
  results: ModeTierAnalysis[];
  /** One per tier, when baseline was measured. */
  noiseFloor: NoiseFloor[];
  /** Every mode x tier that carries a flag. */
  flagged: { mode: ModeName; tier: string; flags: Flag[] }[];
  /** Things the analysis had to work around (e.g. samples of a proxy missing from the topology). */
  warnings: string[];
  /**
   * Figures the meshes' projects publish about themselves, per mode of the run (from the mode files, with
   * source and conditions). Kept apart from every measured figure; absent when no mode has any.
   */
  published?: { mode: ModeName; figures: PublishedFigure[] }[];
}
