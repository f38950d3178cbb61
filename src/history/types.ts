import type { MetricId, MetricUnit } from '../compare/types.js';
import type { ModeName } from '../modes/mode.js';
import type { RunStatus } from '../results/schema.js';

export const HISTORY_SCHEMA = 'meshbench/history';
export const HISTORY_SCHEMA_VERSION = 1;

/** One results file of the series (one night). */
export interface HistoryRun {
  runId: string;
  specName: string;
  startedAt: string;
  status: RunStatus;
  /** Where it was found, as given to buildHistory (relative to the directory searched). */
  source: string;
}

export interface HistoryPoint {
  /** Index into History.runs. */
  run: number;
  value: number;
  /** The run's spread between its own repetitions for this figure (see compare/metrics.ts). */
  noise: number | null;
  flags: string[];
}

/** A step in a series: the first night at a new level (history/change-points.ts). */
export interface ChangePoint {
  /** Index into History.runs of the first night at the new level. */
  run: number;
  before: number;
  after: number;
  change: number;
  relativeChange: number | null;
  pValue: number;
  /** Every metric is lower-is-better: up is a regression. */
  kind: 'regression' | 'improvement';
}

export interface HistorySeries {
  mode: ModeName;
  tier: string;
  metric: MetricId;
  label: string;
  unit: MetricUnit;
  /** Ordered by the run's startedAt. */
  points: HistoryPoint[];
  changePoints: ChangePoint[];
}

export interface History {
  schema: typeof HISTORY_SCHEMA;
  schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  /** Ordered by startedAt (then runId). */
  runs: HistoryRun[];
  /** Metric-major (in METRICS order), then tier, then mode. */
  series: HistorySeries[];
  detector: { window: number; minWindow: number; alpha: number };
  warnings: string[];
}
