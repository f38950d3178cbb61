import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { LiveProxy, Sampler } from '../platform.js';
import type { ProxySamplePoint, ProxySamples } from '../../results/schema.js';

/**
 * A generic CPU/memory sampler for proxies that are local processes (locator kind 'pid'), from /proc. CPU time
 * is the sum of the run time of every thread in nanoseconds (/proc/<pid>/task/<tid>/schedstat, first field,
 * see the kernel's Documentation/scheduler/sched-stats.rst), or where that is missing utime+stime of
 * /proc/<pid>/stat in clock ticks; memory is VmRSS of /proc/<pid>/status. See proc(5).
 * Why nanoseconds: utime/stime are charged a whole 10 ms tick to whoever runs when the tick fires, so a proxy
 * using 100 millicores reads 0, 100 or 200 over a 100 ms interval, and a 4 s window resolves 2.5 millicores.
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

/** Run time in ns from a schedstat line ("<run ns> <wait ns> <timeslices>"); null if unreadable. */
export function parseSchedstatNs(line: string): number | null {
  const first = line.trim().split(/\s+/)[0] ?? '';
  return /^\d+$/.test(first) ? Number(first) : null;
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
  /** CPU time used so far, in seconds. */
  cpuSec: number;
  /** 'ns' from schedstat; 'ticks' from stat. Deltas are taken only between readings of the same kind. */
  clock: 'ns' | 'ticks';
  memMiB: number;
  atMs: number;
}

/** Sum of every thread's run time, or null where schedstat is missing (kernels without CONFIG_SCHED_INFO). */
async function threadsRunNs(pid: number): Promise<number | null> {
  const tids = await readdir(`/proc/${pid}/task`);
  const lines = await Promise.all(tids.map((t) => readFile(`/proc/${pid}/task/${t}/schedstat`, 'utf8')));
  let sum = 0;
  for (const l of lines) {
    const ns = parseSchedstatNs(l);
    if (ns === null) return null;
    sum += ns;
  }
  return sum;
}

async function readProc(pid: number, hz: number): Promise<Reading | null> {
  try {
    const [runNs, stat, status] = await Promise.all([
      threadsRunNs(pid).catch(() => null),
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    const memMiB = parseVmRssMiB(status);
    const atMs = performance.now();
    return runNs !== null
      ? { cpuSec: runNs / 1e9, clock: 'ns', memMiB, atMs }
      : { cpuSec: parseProcStatTicks(stat) / hz, clock: 'ticks', memMiB, atMs };
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
        const r = await readProc(t.pid, perSec);
        if (!r) return;
        const prev = last.get(t.id);
        if (final && prev && r.atMs - prev.atMs < intervalMs / 2) return;
        last.set(t.id, r);
        // The first reading is the reference for the next one; so is a reading after the clock changed kind,
        // or after the threads' sum went down (a thread exited and took its run time with it).
        if (!prev || prev.clock !== r.clock || r.cpuSec < prev.cpuSec) return;
        series.get(t.id)?.push({
          tMs: Math.round(r.atMs - startedAt),
          cpuMillicores: cpuMillicores(r.cpuSec - prev.cpuSec, 1, r.atMs - prev.atMs),
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
