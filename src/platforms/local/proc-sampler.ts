import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { LiveProxy, Sampler } from '../platform.js';
import type { ProxySamplePoint, ProxySamples } from '../../results/schema.js';

/**
 * A generic CPU/memory sampler for proxies that are local processes (locator kind 'pid'), from /proc:
 * /proc/<pid>/stat utime+stime (clock ticks) and /proc/<pid>/status VmRSS. See proc(5).
 * It reads only between start() and stop(); each point covers the interval since the previous reading.
 */

/** CPU time a process has used, in clock ticks: utime (field 14) + stime (field 15) of /proc/<pid>/stat. */
export function parseProcStatTicks(stat: string): number {
  // Field 2 (comm) is in parentheses and may itself contain spaces or ')': count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** Resident set size in MiB from /proc/<pid>/status ("VmRSS:   12345 kB"); 0 for a process without one. */
export function parseVmRssMiB(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

/** millicores = CPU-seconds used / wall seconds elapsed × 1000 (one fully busy core = 1000). */
export function cpuMillicores(deltaTicks: number, ticksPerSecond: number, deltaWallMs: number): number {
  if (deltaWallMs <= 0) return 0;
  return (deltaTicks / ticksPerSecond / (deltaWallMs / 1000)) * 1000;
}

/** USER_HZ, almost always 100 on Linux (getconf CLK_TCK); read once. */
let clockTicks: Promise<number> | undefined;
export function ticksPerSecond(): Promise<number> {
  clockTicks ??= new Promise((resolve) => {
    execFile('getconf', ['CLK_TCK'], (err, stdout) => {
      const n = Number(stdout.trim());
      resolve(!err && Number.isInteger(n) && n > 0 ? n : 100);
    });
  });
  return clockTicks;
}

interface Reading {
  ticks: number;
  memMiB: number;
  atMs: number;
}

async function readProc(pid: number): Promise<Reading | null> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    return { ticks: parseProcStatTicks(stat), memMiB: parseVmRssMiB(status), atMs: performance.now() };
  } catch {
    return null; // the process is gone: no point for it
  }
}

export function createProcSampler(proxies: LiveProxy[], intervalMs: number): Sampler {
  const targets = proxies.flatMap((p) =>
    p.locator.kind === 'pid' ? [{ id: p.info.id, pid: p.locator.pid }] : [],
  );
  const series = new Map<string, ProxySamplePoint[]>(proxies.map((p) => [p.info.id, []]));
  const last = new Map<string, Reading>();
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<void> = Promise.resolve();
  const hz = ticksPerSecond();

  /** `final`: the reading at stop(), kept only if it covers at least half an interval (a 10 ms clock tick over a
   * few ms would read as several cores). */
  const sample = async (final: boolean): Promise<void> => {
    const perSec = await hz;
    await Promise.all(
      targets.map(async (t) => {
        const r = await readProc(t.pid);
        if (!r) return;
        const prev = last.get(t.id);
        if (final && prev && r.atMs - prev.atMs < intervalMs / 2) return;
        last.set(t.id, r);
        if (!prev) return; // the first reading is the reference for the next one
        series.get(t.id)?.push({
          tMs: Math.round(r.atMs - startedAt),
          cpuMillicores: cpuMillicores(r.ticks - prev.ticks, perSec, r.atMs - prev.atMs),
          memMiB: r.memMiB,
        });
      }),
    );
  };
  // One reading at a time: a slow /proc read must not let readings overtake each other.
  const tick = (final = false): void => {
    const run = (): Promise<void> => sample(final);
    inFlight = inFlight.then(run, run);
  };

  return {
    start(): void {
      if (running) return;
      running = true;
      startedAt = performance.now();
      last.clear();
      for (const s of series.values()) s.length = 0;
      tick();
      timer = setInterval(() => tick(), intervalMs);
    },
    async stop(): Promise<ProxySamples[]> {
      if (running) {
        running = false;
        clearInterval(timer);
        tick(true); // close the last partial interval
        await inFlight;
      }
      return [...series].map(([proxyId, points]) => ({ proxyId, points: [...points] }));
    },
  };
}
