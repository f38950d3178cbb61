import type { LoadProgress } from '../engines/engine.js';
import type { ModeName } from '../modes/mode.js';
import type { CellResult } from '../results/schema.js';

/** What a run reports as it goes; the run command renders these for people or as JSON lines. */
export type RunEvent =
  | {
      event: 'run-start';
      runId: string;
      cells: number;
      expectedSeconds: number;
      order: string;
      resultsPath: string;
    }
  | { event: 'mode-up'; mode: ModeName; path: string[] }
  | {
      event: 'cell-start';
      index: number;
      total: number;
      mode: ModeName;
      tier: string;
      repetition: number;
      repetitions: number;
      etaSeconds: number;
    }
  | ({ event: 'cell-progress'; index: number; total: number; etaSeconds: number } & LoadProgress)
  | {
      event: 'cell-done';
      index: number;
      total: number;
      mode: ModeName;
      tier: string;
      repetition: number;
      status: CellResult['status'];
      error?: string;
      p50Ms?: number;
      p99Ms?: number;
      achievedRps?: number;
      flags: string[];
    }
  | { event: 'teardown' }
  | { event: 'run-end'; status: string; resultsPath: string };
