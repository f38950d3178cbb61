import type { Engine, LoadHooks, Target } from '../engine.js';
import type { LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { MESHBENCH_VERSION } from '../../version.js';
import { toLatencyResult } from './latency-result.js';
import type { LoadPlan } from './protocol.js';
import { runInWorker } from './worker-host.js';

export { AbortError } from './worker-host.js';

/** LoadHooks.onProgress cadence. */
const PROGRESS_INTERVAL_MS = 250;

export function loadPlanFor(target: Target, tier: Tier): LoadPlan {
  if (target.endpoints.length === 0) throw new RangeError('the target has no endpoints');
  return {
    endpoints: [...target.endpoints],
    connections: tier.connections,
    rps: tier.rps,
    warmupSec: tier.warmupSec,
    durationSec: tier.durationSec,
    payloadBytes: tier.payloadBytes,
    maxInFlight: tier.maxInFlight,
    timeoutMs: tier.timeoutMs,
    progressIntervalMs: PROGRESS_INTERVAL_MS,
  };
}

/**
 * The builtin engine: an open-model, constant-arrival-rate HTTP/1.1 load generator (k6's constant-arrival-rate
 * executor) running in a worker thread with its own keep-alive HTTP/1.1 client over bare sockets
 * (http-sender.ts), coordinated-omission corrected.
 */
export function createBuiltinEngine(): Engine {
  return {
    name: 'builtin',
    version: () => Promise.resolve(`builtin-${MESHBENCH_VERSION} (node ${process.version})`),
    async run(target: Target, tier: Tier, hooks: LoadHooks): Promise<LatencyResult> {
      const result = await runInWorker(loadPlanFor(target, tier), hooks);
      return toLatencyResult([result], tier);
    },
  };
}
