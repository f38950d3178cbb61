import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU pinning for a local run: the load generator on one CPU, the app servers and proxies on the others, so
 * that the engine's sends and reads are not delayed by the proxies it measures (and the proxies are not slowed
 * by the engine). On a 2-core machine that is one core each. Applied with taskset (util-linux): the runner pins
 * its own process, whose children (the engine's native core, k6) inherit it, and every server process is
 * started under `taskset -c <server cpus>`.
 */
export type PinningSetting = 'auto' | 'off';

export type PinningPlan =
  { pinned: true; engineCpus: number[]; serverCpus: number[] } | { pinned: false; reason: string };

/** Parses a kernel CPU list ("0-3,6,8-9") into CPU numbers. */
export function parseCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new RangeError(`not a CPU list: ${list}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi; c++) out.push(c);
  }
  return out;
}

export function formatCpuList(cpus: readonly number[]): string {
  return cpus.join(',');
}

/**
 * Which CPUs go to whom. Pinning needs at least two CPUs to split, and is for the builtin engine: k6 runs many
 * goroutines and needs more than one core at the rates where it matters, so it stays free to use all of them.
 */
export function planPinning(
  setting: PinningSetting,
  allowed: readonly number[],
  engine: 'builtin' | 'k6',
  tasksetAvailable: boolean,
): PinningPlan {
  if (setting === 'off') return { pinned: false, reason: 'off in the spec (local.cpuPinning)' };
  if (engine !== 'builtin')
    return { pinned: false, reason: 'k6 uses every core; only the builtin engine is pinned' };
  if (allowed.length < 2) return { pinned: false, reason: `only ${allowed.length} CPU available` };
  if (!tasksetAvailable) return { pinned: false, reason: 'taskset (util-linux) not found' };
  const sorted = [...allowed].sort((a, b) => a - b);
  return { pinned: true, engineCpus: [sorted[0] as number], serverCpus: sorted.slice(1) };
}

/** The CPUs this process may run on (its affinity mask), from /proc. */
export function allowedCpus(): number[] {
  const m = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m?.[1] ? parseCpuList(m[1]) : [];
}

export function tasksetAvailable(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sets the affinity of every thread of a process (taskset -a -p). */
export function pinProcess(pid: number, cpus: readonly number[]): void {
  execFileSync('taskset', ['-a', '-p', '-c', formatCpuList(cpus), String(pid)], { stdio: 'ignore' });
}

/** The argv prefix that starts a program on `cpus` (taskset execs it: the pid stays the program's). */
export function pinnedPrefix(cpus: readonly number[] | undefined): string[] {
  return cpus && cpus.length > 0 ? ['taskset', '-c', formatCpuList(cpus)] : [];
}
