import type { Engine, LoadHooks, Target } from '../engines/engine.js';
import type { ModeDefinition } from '../modes/mode.js';
import type { LatencyResult, ModeTopologyRecord, ProxyInfo, ProxySamples } from '../results/schema.js';
import type { Tier, TierProtocol } from '../spec/schema.js';

/** A proxy as the sampler sees it: its record plus how to find it right now. */
export interface LiveProxy {
  info: ProxyInfo;
  locator:
    | { kind: 'pid'; pid: number }
    | { kind: 'container'; namespace: string; pod: string; container: string; node: string };
}

/** One mode, up and reachable. */
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
 * A platform turns a mode into running workloads and owns how load is launched there. It cleans up what it
 * created, and only that: `down()` is idempotent and safe to call after a partial `up()`.
 */
export interface Platform {
  name: 'local' | 'kubernetes';
  describe(): Promise<PlatformDescription>;
  up(mode: ModeDefinition, signal?: AbortSignal): Promise<Deployment>;
  load(engine: Engine, deployment: Deployment, tier: Tier, hooks: LoadHooks): Promise<LatencyResult>;
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
