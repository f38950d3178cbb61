import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The process that writes a results.json while it runs. A run killed with SIGKILL (or a crash, or a power
 * cut) cannot mark its results final, so they stay "running"; readers on the same host tell such a run from
 * a live one by this identity: the pid, and the process's start time in clock ticks since boot with the boot
 * id (so a recycled pid or a reboot is never mistaken for the run).
 */
export interface RunOwner {
  pid: number;
  hostname: string;
  /** /proc/sys/kernel/random/boot_id (Linux). */
  bootId?: string;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks after boot (Linux). */
  startTicks?: number;
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Start time of a process in clock ticks after boot, or undefined when there is no such process (or no /proc). */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined; // exited, not yet reaped: runs nothing
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

export function currentRunOwner(): RunOwner {
  const ticks = startTicks(process.pid);
  const boot = bootId();
  return {
    pid: process.pid,
    hostname: hostname(),
    ...(boot ? { bootId: boot } : {}),
    ...(ticks !== undefined ? { startTicks: ticks } : {}),
  };
}

/**
 * Whether the owner of a "running" results.json is certainly gone: same host, and the machine rebooted since,
 * or no process with that pid and start time exists. False when it cannot be told (another host, no /proc).
 */
export function runOwnerGone(owner: RunOwner): boolean {
  if (owner.hostname !== hostname() || owner.bootId === undefined || owner.startTicks === undefined)
    return false;
  const boot = bootId();
  if (boot === undefined) return false;
  if (boot !== owner.bootId) return true;
  return startTicks(owner.pid) !== owner.startTicks;
}
