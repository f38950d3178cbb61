/**
 * wrk (Debian's 4.1.0): a closed-model generator. Each of `-c` connections sends a request, waits for the
 * response, and sends the next, so its rate is whatever the target and wrk allow, and its latency is timed from
 * the actual send (no coordinated-omission correction). Debian ships wrk, not wrk2, so there is no `-R` rate
 * option: for fixed-rate comparisons each connection is paced with wrk's Lua `delay()` hook, which waits between
 * a response and the next request (the wait is not part of the latency wrk records). A Lua `done()` hook prints
 * the exact figures (µs) instead of the rounded text summary.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup, removeDirSync } from './cleanup.js';
import { runTool } from './run-tool.js';

export interface WrkResult {
  connections: number;
  durationSec: number;
  requests: number;
  /** Socket errors (connect, read, write, timeout) plus non-2xx/3xx responses. */
  errors: number;
  achievedRps: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  meanUs: number;
  cpuSeconds: number;
}

const MARK = 'MESHBENCH-WRK';

const DONE_HOOK = `
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("${MARK} %d %d %d %.1f %.1f %.1f %.1f\\n", summary.duration, summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
`;

/**
 * A delay() that waits `meanMs` on average between a connection's response and its next request, drawn
 * uniformly from [0.5, 1.5] x meanMs. The spread keeps connections from falling into step: with one fixed delay
 * they all wake on the same millisecond tick and send in bursts that queue at the target (measured here: p50
 * 550-615 us with a fixed 15 or 16 ms delay against 137-140 us with a spread one, 17 connections at 1000 RPS).
 * wrk's delay is whole milliseconds, so the draw is rounded up or down with the odds that keep its mean.
 */
export function paceScript(meanMs: number): string {
  return `
function delay()
  local d = ${meanMs.toFixed(4)} * (0.5 + math.random())
  local base = math.floor(d)
  if math.random() < d - base then return base + 1 end
  return base
end
`;
}

/** Parses the line printed by the done() hook. */
export function parseWrkDone(stdout: string): Omit<WrkResult, 'connections' | 'cpuSeconds' | 'achievedRps'> {
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`wrk printed no ${MARK} line:\n${stdout}`);
  const [durationUs, requests, errors, p50, p90, p99, mean] = line
    .slice(MARK.length)
    .trim()
    .split(/\s+/)
    .map(Number);
  return {
    durationSec: durationUs! / 1e6,
    requests: requests!,
    errors: errors!,
    p50Us: p50!,
    p90Us: p90!,
    p99Us: p99!,
    meanUs: mean!,
  };
}

export interface WrkOptions {
  url: string;
  connections: number;
  durationSec: number;
  /** Paced: target rate over all connections; unset: as fast as it goes (closed loop). */
  rps?: number;
  /**
   * What a connection spends per request besides the delay (service time plus wrk's timer lateness, its timers
   * being whole milliseconds), subtracted from the per-connection interval. Calibrated on this machine.
   */
  paceAllowanceMs?: number;
}

/** Per-connection interval (ms) that makes `connections` paced connections send `rps` in total. */
export function paceDelayMs(connections: number, rps: number, allowanceMs: number): number {
  return Math.max(0, (connections * 1000) / rps - allowanceMs);
}

/**
 * A paced run whose allowance is first calibrated by short probes: a connection's actual cycle is
 * connections / achieved rate, and what it spent besides the delay is the next allowance. Up to three probes,
 * until one lands within 2% of the rate (wrk's millisecond timers make its overhead vary with load).
 */
export async function runWrkPaced(
  o: WrkOptions & { rps: number; calibrateSec: number },
): Promise<WrkResult & { allowanceMs: number }> {
  const interval = (o.connections * 1000) / o.rps;
  let allowanceMs = o.paceAllowanceMs ?? 0.3;
  for (let i = 0; i < 3; i++) {
    const probe = await runWrk({ ...o, durationSec: o.calibrateSec, paceAllowanceMs: allowanceMs });
    const delay = paceDelayMs(o.connections, o.rps, allowanceMs);
    const cycleMs = (o.connections * 1000) / probe.achievedRps;
    const off = Math.abs(probe.achievedRps / o.rps - 1);
    allowanceMs = Math.min(Math.max(0, cycleMs - delay), interval);
    if (off <= 0.02) break;
  }
  return { ...(await runWrk({ ...o, paceAllowanceMs: allowanceMs })), allowanceMs };
}

export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-bench-wrk-'));
  const removeDir = onCleanup(() => removeDirSync(dir));
  try {
    const script = join(dir, 'bench.lua');
    const pace =
      o.rps === undefined ? '' : paceScript(paceDelayMs(o.connections, o.rps, o.paceAllowanceMs ?? 0.3));
    writeFileSync(script, pace + DONE_HOOK);
    // wrk takes whole seconds only (`-d 1.5s` is a usage error).
    const seconds = Math.max(1, Math.round(o.durationSec));
    const run = await runTool(
      ['wrk', '-c', String(o.connections), '-t', '1', '-d', `${seconds}s`, '--latency', '-s', script, o.url],
      (seconds + 30) * 1000,
    );
    const r = parseWrkDone(run.stdout);
    return {
      ...r,
      connections: o.connections,
      achievedRps: r.requests / r.durationSec,
      cpuSeconds: run.cpuSeconds,
    };
  } finally {
    removeDir();
  }
}
