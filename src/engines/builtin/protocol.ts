import type { LoadProgress } from '../engine.js';
import type { ErrorKind } from '../../results/schema.js';
import type { EncodedHistogram } from '../../stats/histogram.js';

/** What one worker thread is asked to generate: one tier's load (or its share of it) against the endpoints. */
export interface LoadPlan {
  endpoints: string[];
  connections: number;
  rps: number;
  warmupSec: number;
  durationSec: number;
  payloadBytes: number;
  maxInFlight: number;
  timeoutMs: number;
  progressIntervalMs: number;
}

/** Parent -> worker. */
export type ParentMessage = { type: 'start'; plan: LoadPlan };

/** The mergeable part of a worker's measure window: encoded histograms and counts, never raw samples. */
export interface WorkerResult {
  histogram: EncodedHistogram;
  serviceHistogram: EncodedHistogram;
  requests: number;
  ok: number;
  byStatus: Record<string, number>;
  byKind: Partial<Record<ErrorKind, number>>;
  dropped: number;
  /**
   * Milliseconds from the window's opening over which its arrivals were issued (sent or dropped): the window
   * length plus how late the last arrival went out. Longer than the window only when the generator fell behind.
   */
  issueSpanMs: number;
}

/** Worker -> parent. */
export type WorkerEvent =
  | { event: 'progress'; progress: LoadProgress }
  | { event: 'measure-start' }
  | { event: 'measure-end' }
  | { event: 'done'; result: WorkerResult }
  | { event: 'error'; message: string };
