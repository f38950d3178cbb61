import type { LoadHooks, Target } from '../engines/engine.js';
import type { ModeDefinition } from '../modes/mode.js';
import type {
  EnvironmentInfo,
  LatencyResult,
  ModeTopologyRecord,
  ProxyInfo,
  ProxySamples,
} from '../results/schema.js';
import type { Tier, TierProtocol } from '../spec/schema.js';

/** A proxy as the sampler sees it: its record plus how to find it right now. */
export interface LiveProxy {
  info: ProxyInfo;
  locator:
    | { kind: 'pid'; pid: number }
    | { kind: 'container'; namespace: string; pod: string; container: string; node: string };
}

/** One mode, up and reachable. The platform's own state: the runner records `platform.topology()` snapshots. */
export interface Deployment {
  mode: ModeDefinition;
  /** Where HTTP/1.1 tiers are sent. */
  target: Target;
  /** Where a tier of each protocol is sent, where the platform serves more than HTTP/1.1; absent: `target`. */
  targets?: Partial<Record<TierProtocol, Target>>;
  proxies: LiveProxy[];
  topology: ModeTopologyRecord;
}

/** Reads proxies' CPU and memory over the measure window only. */
export interface Sampler {
  start(): void;
  /** Stops sampling and returns what was read, one series per proxy. */
  stop(): Promise<ProxySamples[]>;
}

export interface PlatformDescription {
  proxy: { name: string; version: string };
  emulation?: string;
  /** The app server the platform runs, where it runs one itself (local). */
  app?: { implementation: 'native' | 'node'; detail: string };
}

/**
 * A platform turns a mode into running workloads and owns how load is launched there, with the engine it was
 * created with (local: the one --engine chose; kubernetes: k6 in a Job of its own). It cleans up what it
 * created, and only that: `down()` is idempotent and safe to call after a partial `up()`.
 */
export interface Platform {
  name: 'local' | 'kubernetes';
  describe(): Promise<PlatformDescription>;
  /**
   * The engine load() runs, as results.json records it. Rejects with an EngineUnavailableError (a UserError)
   * when that engine cannot run here.
   */
  engine(): Promise<EnvironmentInfo['engine']>;
  up(mode: ModeDefinition, signal?: AbortSignal): Promise<Deployment>;
  load(deployment: Deployment, tier: Tier, hooks: LoadHooks): Promise<LatencyResult>;
  /**
   * The mode's topology as it stands now, as a copy the caller owns. The runner records one after `up()` and
   * after every cell (on a cluster a cell adds its load pods and their proxies).
   */
  topology(deployment: Deployment): ModeTopologyRecord;
  sampler(deployment: Deployment): Sampler;
  down(): Promise<void>;
  /**
   * Synchronous last resort for a second Ctrl-C: kill everything the platform started right now, without
   * waiting. Optional; `down()` remains the normal path.
   */
  killNow?(): void;
}

/** Optional ability, checked by the planner: can every requested mode stay up at once (needed to interleave)? */
export interface HoldsModesConcurrently {
  canHoldAllModes(modes: ModeDefinition[]): { ok: true } | { ok: false; reason: string };
}

export function holdsModesConcurrently(p: Platform): p is Platform & HoldsModesConcurrently {
  return typeof (p as Partial<HoldsModesConcurrently>).canHoldAllModes === 'function';
}

export type { Target };

/** The target a tier is sent to: the deployment's for the tier's protocol. */
export function targetFor(d: Deployment, tier: Tier): Target {
  const t = tier.protocol === 'http/1.1' ? d.target : d.targets?.[tier.protocol];
  if (!t) throw new Error(`${d.mode.name}: the deployment serves no ${tier.protocol} target`);
  return t;
}
