/**
 * The reference client (bench/native/refclient.c): an open-loop C client that times latency from each
 * request's intended send time, with exact percentiles. It is the yardstick for meshbench's own engine and for
 * the app server's delay: built here with the system C compiler into a temp dir that the bench removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup, removeDirSync } from './cleanup.js';
import { runTool } from './run-tool.js';

const SOURCE = fileURLToPath(new URL('../native/refclient.c', import.meta.url));

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface RefRun {
  requests: number;
  ok: number;
  errors: number;
  achievedRps: number;
  /** From the intended send time, microseconds. */
  latencyUs: Distribution;
  /** From the write, microseconds. */
  serviceUs: Distribution;
  /** How late each request was written after its intended time, microseconds: the client's own pacing error. */
  sendLateUs: Distribution;
  cpuSeconds: number;
}

let built: string | undefined;

/** Compiles refclient once per bench process; throws with the compiler's words when there is no cc. */
export function refclientBinary(): string {
  if (built) return built;
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-refclient-'));
  onCleanup(() => removeDirSync(dir));
  const bin = join(dir, 'refclient');
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-std=gnu11', '-Wall', '-o', bin, SOURCE], { stdio: 'pipe' });
  built = bin;
  return bin;
}

export interface RefOptions {
  url: string;
  rps: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  timeoutMs?: number;
}

export async function runRefclient(o: RefOptions): Promise<RefRun> {
  const argv = [
    refclientBinary(),
    '--url',
    o.url,
    '--rate',
    String(o.rps),
    '--duration',
    String(o.durationSec),
    '--warmup',
    String(o.warmupSec),
    '--connections',
    String(o.connections),
    '--timeout-ms',
    String(o.timeoutMs ?? 5000),
  ];
  const r = await runTool(argv, (o.durationSec + o.warmupSec) * 1000 + (o.timeoutMs ?? 5000) + 15_000);
  const parsed = JSON.parse(r.stdout) as Omit<RefRun, 'cpuSeconds'>;
  return { ...parsed, cpuSeconds: r.cpuSeconds };
}
