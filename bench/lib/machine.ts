/** The machine the figures came from, recorded next to them (PERFORMANCE.md names it for every figure). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  versions: Record<string, string>;
}

function cpuModel(): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}

function debVersion(pkg: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' }).trim();
  } catch {
    return 'not installed';
  }
}

export function machine(): Machine {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    versions: { nginx: debVersion('nginx-light'), wrk: debVersion('wrk'), hey: debVersion('hey') },
  };
}

export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

export function describeMachine(m: Machine): string {
  return (
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; Linux ${m.kernel}; node ${m.node}; ` +
    Object.entries(m.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')
  );
}

/**
 * Waits until the 1-minute load average is below `max` (other engineers share this 2-core box), checking every
 * 15 s, for at most `timeoutSec`. Returns whether it got there; the figures are taken either way.
 */
export async function waitForQuiet(
  max: number,
  timeoutSec: number,
  log: (s: string) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutSec * 1000;
  for (;;) {
    const one = loadavg()[0] ?? 0;
    if (one < max) return true;
    if (Date.now() >= deadline) return false;
    log(
      `load average ${loadAverage()} >= ${max}: waiting (up to ${Math.round((deadline - Date.now()) / 1000)} s more)`,
    );
    await new Promise((r) => setTimeout(r, 15_000));
  }
}
