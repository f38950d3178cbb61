import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second of /proc/<pid>/stat's utime and stime: USER_HZ, which is 100 on every Linux
 * architecture Node runs on (man 5 proc: "measured in clock ticks (divide by sysconf(_SC_CLK_TCK))").
 */
const USER_HZ = 100;

/** Parses utime + stime (fields 14 and 15) out of a /proc/<pid>/stat line; the comm field may hold spaces. */
export function parseProcStatCpuTicks(stat: string): number {
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterComm[0] is field 3 (state), so field n is afterComm[n - 3].
  const utime = Number(afterComm[11]);
  const stime = Number(afterComm[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error('unexpected /proc/<pid>/stat format');
  return utime + stime;
}

/** CPU seconds (user + system) a live process has used; 10 ms resolution. */
export function readProcCpuSeconds(pid: number): number {
  return parseProcStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / USER_HZ;
}
