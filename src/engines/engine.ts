import { UserError } from '../errors.js';
import type { Tier, TierProtocol } from '../spec/schema.js';
import type { LatencyResult } from '../results/schema.js';

/** Where load goes. `endpoints` are base URLs; with several, connections are spread over them (kube-proxy style). */
export interface Target {
  endpoints: string[];
  /** What the endpoints answer: a tier of this protocol is sent here. */
  protocol: TierProtocol;
}

export type LoadPhase = 'warmup' | 'measure';

export interface LoadProgress {
  phase: LoadPhase;
  /** Seconds into the current phase. */
  elapsedSec: number;
  /** Length of the current phase, seconds. */
  phaseSec: number;
  sent: number;
  completed: number;
}

export interface LoadHooks {
  signal?: AbortSignal;
  /** Called when the measure window opens and closes: the sampler runs between the two. */
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
  onProgress?: (p: LoadProgress) => void;
  /** Tags recorded with every request where the engine supports them (k6 tags). */
  tags?: Record<string, string>;
}

/** An engine runs one tier (warm-up, then measure window) against one target. */
export interface Engine {
  name: 'builtin' | 'k6';
  /** Version string recorded in results.json. Throws an EngineUnavailableError when it cannot run here. */
  version(): Promise<string>;
  run(target: Target, tier: Tier, hooks: LoadHooks): Promise<LatencyResult>;
}

/**
 * The engine cannot run on this machine (k6 missing or too old, the native core not built): a user mistake with
 * a fix, so the CLI reports it as bad input (exit 2) before anything starts, not as an internal error.
 */
export class EngineUnavailableError extends UserError {
  declare readonly fix: string;
  constructor(message: string, fix: string) {
    super(message, [], fix);
    this.name = 'EngineUnavailableError';
  }
}
