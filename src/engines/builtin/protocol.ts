import type { LoadProgress } from '../engine.js';
import type { ErrorKind } from '../../results/schema.js';
import type { EncodedHistogram } from '../../stats/histogram.js';
import type { TierProtocol } from '../../spec/schema.js';

/** What one worker thread is asked to generate: one tier's load (or its share of it) against the endpoints. */
export interface LoadPlan {
  endpoints: string[];
  /** What to speak: HTTP/1.1 (native or JavaScript core), or h2c and gRPC (JavaScript core, h2-sender.ts). */
  protocol: TierProtocol;
  connections: number;
  /** Requests a connection carries before it is closed and another opened; absent: keep-alive throughout. */
  requestsPerConnection?: number;
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
