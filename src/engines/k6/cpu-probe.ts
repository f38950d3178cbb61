import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { K6CpuFigures } from '../../results/schema.js';
import { parseProcStatTicks, ticksPerSecond } from '../../platforms/local/proc-sampler.js';

/**
 * Busy and total CPU time of the whole host, in clock ticks, from the first ("cpu ") line of /proc/stat (proc(5)):
 * user nice system idle iowait irq softirq steal [guest guest_nice]. guest time is already counted in user, so it
 * is left out of the total; idle and iowait are the not-busy part.
 */
export function parseHostCpuTicks(procStat: string): { busy: number; total: number } {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no "cpu " line');
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x)))
    throw new Error(`unreadable /proc/stat line: ${line.slice(0, 80)}`);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuReading {
  atMs: number;
  /** utime + stime of the process (all its threads), ticks. */
  processTicks: number;
  hostBusyTicks: number;
}

/** The CPU figures between two readings of the same process. */
export function cpuBetween(a: CpuReading, b: CpuReading, hz: number, cores: number): K6CpuFigures {
  return {
    span: 'measure-window',
    seconds: Math.max(0, (b.atMs - a.atMs) / 1000),
    k6CpuSeconds: Math.max(0, b.processTicks - a.processTicks) / hz,
    hostBusyCpuSeconds: Math.max(0, b.hostBusyTicks - a.hostBusyTicks) / hz,
    cores,
  };
}

async function read(pid: number): Promise<CpuReading | undefined> {
  try {
    const [stat, host] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile('/proc/stat', 'utf8'),
    ]);
    return {
      atMs: performance.now(),
      processTicks: parseProcStatTicks(stat),
      hostBusyTicks: parseHostCpuTicks(host).busy,
    };
  } catch {
    return undefined; // no /proc (not Linux), or k6 already gone: no CPU figure for this cell
  }
}

/**
 * k6's own CPU time and the host's over the measure window: read when the window opens and when it closes. k6 is a
 * Go program that uses every core (GOMAXPROCS = the CPUs it may run on), so its CPU time is set against
 * availableParallelism(). Never throws; `result()` is undefined when a reading failed (no /proc, or k6 had already
 * exited when the window closed) or when the readings span less than half the window: CPU time comes in 10 ms
 * ticks, so a few milliseconds would read as several cores.
 */
export class K6CpuProbe {
  private pid: number | undefined;
  private first: Promise<CpuReading | undefined> | undefined;
  private last: Promise<CpuReading | undefined> | undefined;

  constructor(
    private readonly windowSec: number,
    private readonly cores: number = availableParallelism(),
  ) {}

  attach(pid: number): void {
    this.pid = pid;
  }

  start(): void {
    if (this.pid !== undefined) this.first ??= read(this.pid);
  }

  stop(): void {
    if (this.pid !== undefined && this.first !== undefined) this.last ??= read(this.pid);
  }

  async result(): Promise<K6CpuFigures | undefined> {
    const [a, b] = await Promise.all([this.first, this.last]);
    if (a === undefined || b === undefined || b.atMs - a.atMs < 500 * this.windowSec) return undefined;
    return cpuBetween(a, b, await ticksPerSecond(), this.cores);
  }
}
