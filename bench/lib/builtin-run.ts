/**
 * One run of meshbench's builtin engine against a URL, as `meshbench run` drives it (createBuiltinEngine,
 * a Tier, hooks), with the CPU this process used during the measure window: the engine's worker thread is part
 * of this process, so process.cpuUsage() between the onMeasureStart and onMeasureEnd hooks is the engine's CPU
 * (the main thread only relays a few messages a second); the native core is a child process, read from /proc.
 */
import { createBuiltinEngine, type EngineCore } from '../../src/engines/builtin/index.js';
import { readdirSync, readFileSync } from 'node:fs';
import type { Tier } from '../../src/spec/schema.js';
import { tierDefaults } from '../../src/spec/tier-defaults.js';
import { decodeHistogram, percentileMicros } from '../../src/stats/histogram.js';
import { readProcCpuSeconds } from './proc-cpu.js';

export interface BuiltinRun {
  tier: Tier;
  achievedRps: number;
  requests: number;
  errors: number;
  dropped: number;
  measureSeconds: number;
  /** From each request's intended send time (coordinated-omission corrected): what meshbench reports. */
  p50Us: number;
  p90Us: number;
  p99Us: number;
  /** From the time the request went on the wire: service time, comparable to wrk's and hey's timing. */
  serviceP50Us: number;
  serviceP99Us: number;
  /** CPU seconds of this process (engine worker + main thread) over the measure window. */
  cpuSeconds: number;
  /** Wall seconds of the measure window as the hooks saw it. */
  windowSeconds: number;
  /** Target CPU seconds over the same window, when a reader was given. */
  targetCpuSeconds?: number;
}

/**
 * A tier at `rps` with the connections, in-flight cap and timeout meshbench's own defaults pick for that rate
 * (spec/tier-defaults.ts), so the bench measures what a user gets.
 */
export function benchTier(rps: number, durationSec: number, warmupSec: number, payloadBytes = 1024): Tier {
  const d = tierDefaults(`bench-${rps}`, rps);
  return {
    name: `bench-${Math.round(rps)}`,
    rps,
    durationSec,
    warmupSec,
    connections: d.connections ?? 4,
    payloadBytes,
    protocol: 'http/1.1',
    maxInFlight: d.maxInFlight ?? 256,
    timeoutMs: d.timeoutMs ?? 5000,
  };
}

/** CPU seconds of this process's live children (the native core), by pid. */
function childCpuSeconds(): Map<number, number> {
  const out = new Map<number, number>();
  for (const task of readdirSync('/proc/self/task')) {
    let children = '';
    try {
      children = readFileSync(`/proc/self/task/${task}/children`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const pid of children.split(' ').filter(Boolean).map(Number)) {
      try {
        out.set(pid, readProcCpuSeconds(pid));
      } catch {
        // exited meanwhile
      }
    }
  }
  return out;
}

export async function runBuiltin(
  url: string,
  tier: Tier,
  targetCpu?: () => number,
  core: EngineCore = 'auto',
): Promise<BuiltinRun> {
  const engine = createBuiltinEngine({ core });
  let cpu0: NodeJS.CpuUsage | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  // The native core runs as a child process: its CPU is read from /proc, not process.cpuUsage().
  let children0 = new Map<number, number>();
  let childSeconds = 0;
  let t0 = 0;
  let windowSeconds = 0;
  let target0 = 0;
  let targetCpuSeconds: number | undefined;
  const r = await engine.run({ endpoints: [url], protocol: tier.protocol }, tier, {
    onMeasureStart: () => {
      children0 = childCpuSeconds();
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      if (targetCpu) target0 = targetCpu();
    },
    onMeasureEnd: () => {
      cpu = process.cpuUsage(cpu0);
      for (const [pid, sec] of childCpuSeconds()) childSeconds += sec - (children0.get(pid) ?? sec);
      windowSeconds = (performance.now() - t0) / 1000;
      if (targetCpu) targetCpuSeconds = targetCpu() - target0;
    },
  });
  const h = decodeHistogram(r.histogram);
  const s = r.serviceHistogram ? decodeHistogram(r.serviceHistogram) : undefined;
  return {
    tier,
    achievedRps: r.achievedRps,
    requests: r.requests,
    errors: r.requests - r.ok,
    dropped: r.dropped,
    measureSeconds: r.measureSeconds,
    p50Us: percentileMicros(h, 50),
    p90Us: percentileMicros(h, 90),
    p99Us: percentileMicros(h, 99),
    serviceP50Us: s ? percentileMicros(s, 50) : NaN,
    serviceP99Us: s ? percentileMicros(s, 99) : NaN,
    cpuSeconds: cpu ? (cpu.user + cpu.system) / 1e6 + childSeconds : NaN,
    windowSeconds,
    ...(targetCpuSeconds !== undefined ? { targetCpuSeconds } : {}),
  };
}
