import { EngineUnavailableError, type Engine, type LoadHooks, type Target } from '../engine.js';
import { UserError } from '../../errors.js';
import { NATIVE_BUILD_FIX, nativeStatus } from '../../runtime/native-binary.js';
import type { LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { MESHBENCH_VERSION } from '../../version.js';
import { toLatencyResult } from './latency-result.js';
import { nativeArgs, runNativeCore } from './native-core.js';
import type { LoadPlan } from './protocol.js';
import { runInWorker } from './worker-host.js';

export { AbortError } from './worker-host.js';

/** LoadHooks.onProgress cadence. */
const PROGRESS_INTERVAL_MS = 250;

export function loadPlanFor(target: Target, tier: Tier): LoadPlan {
  if (target.endpoints.length === 0) throw new RangeError('the target has no endpoints');
  if (target.protocol !== tier.protocol)
    throw new RangeError(
      `tier ${tier.name} speaks ${tier.protocol}, but the target answers ${target.protocol}`,
    );
  return {
    endpoints: [...target.endpoints],
    protocol: tier.protocol,
    connections: tier.connections,
    ...(tier.requestsPerConnection !== undefined
      ? { requestsPerConnection: tier.requestsPerConnection }
      : {}),
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
 * Which core generates the load: `native` (native/loadgen.c, built at install) or `js` (a worker thread with
 * the engine's own HTTP/1.1 client). `auto` takes the native core when it is built. MESHBENCH_ENGINE_CORE
 * overrides the default, to compare the two or to rule the native one out.
 */
export type EngineCore = 'auto' | 'native' | 'js';

export function engineCoreFromEnv(env: NodeJS.ProcessEnv = process.env): EngineCore {
  const v = env.MESHBENCH_ENGINE_CORE;
  if (v === undefined || v === '') return 'auto';
  if (v === 'auto' || v === 'native' || v === 'js') return v;
  throw new UserError(`MESHBENCH_ENGINE_CORE is "${v}"`, [], 'set it to auto, native or js, or unset it');
}

/**
 * The builtin engine: an open-model, constant-arrival-rate HTTP/1.1, h2c and gRPC load generator (k6's constant-arrival-rate
 * executor), coordinated-omission corrected, with two cores of the same model: a native process
 * (native-core.ts) and, where it is not built, a worker thread with its own keep-alive HTTP/1.1 client over
 * bare sockets (http-sender.ts). The version string names the core, so results.json records which one ran.
 */
export function createBuiltinEngine(o: { core?: EngineCore } = {}): Engine {
  const core = o.core ?? engineCoreFromEnv();
  const native = core === 'js' ? undefined : nativeStatus('loadgen');
  const useNative = native?.path !== undefined;
  return {
    name: 'builtin',
    version: () => {
      if (core === 'native' && !useNative)
        return Promise.reject(
          new EngineUnavailableError(
            `the builtin engine's native core is not usable: ${native?.problem}`,
            NATIVE_BUILD_FIX,
          ),
        );
      return Promise.resolve(
        useNative
          ? `builtin-${MESHBENCH_VERSION} (native core; h2c and gRPC on the JavaScript core)`
          : `builtin-${MESHBENCH_VERSION} (JavaScript core, node ${process.version})`,
      );
    },
    async run(target: Target, tier: Tier, hooks: LoadHooks): Promise<LatencyResult> {
      const plan = loadPlanFor(target, tier);
      // The native core speaks HTTP/1.1 only; h2c and gRPC tiers run on the JavaScript core (h2-sender.ts).
      const args = useNative && plan.protocol === 'http/1.1' ? nativeArgs(plan) : undefined;
      const result =
        native?.path && args
          ? await runNativeCore(native.path, args, plan, hooks)
          : await runInWorker(plan, hooks);
      return toLatencyResult([result], tier);
    },
  };
}
