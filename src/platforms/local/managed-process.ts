import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { pinnedPrefix } from './cpu-pinning.js';

/**
 * A child process the local platform started and must stop again. Each one gets a pid file (pid + command
 * line) in the run directory's pids/ folder as soon as it exists, so that a fresh process can find and stop
 * it after a crash (see leftovers.ts).
 */
export interface PidRecord {
  name: string;
  pid: number;
  /** The program's argv as /proc/<pid>/cmdline shows it once running. */
  argv: string[];
  startedAt: string;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  argv: string[];
  pidFile: string;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** The last few KiB of stderr (and stdout), for error messages. */
  outputTail(): string;
  /** Resolves with the first stdout line accepted by `match`; rejects if the process exits or time runs out. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  pidDir: string;
  /** 'pipe' keeps stdin open: a child that exits on EOF then dies with us even on SIGKILL. */
  stdin: 'pipe' | 'ignore';
  /** Run it on these CPUs only (cpu-pinning.ts); absent: wherever the kernel puts it. */
  cpus?: number[];
}

const TAIL_BYTES = 8192;

/**
 * setpriv --pdeathsig KILL makes the kernel kill the child when its parent thread dies, even on SIGKILL
 * (prctl PR_SET_PDEATHSIG survives exec). Only from the main thread: the signal fires when the spawning
 * *thread* exits, which for a worker thread would be long before the run ends.
 */
let deathSignalWrapper: Promise<string[]> | undefined;
function wrapperArgs(): Promise<string[]> {
  if (!isMainThread || process.platform !== 'linux') return Promise.resolve([]);
  deathSignalWrapper ??= new Promise((resolve) => {
    execFile('setpriv', ['--help'], (err, stdout) =>
      resolve(!err && stdout.includes('--pdeathsig') ? ['setpriv', '--pdeathsig', 'KILL', '--'] : []),
    );
  });
  return deathSignalWrapper;
}

export function pidFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '--')}.json`;
}

export async function spawnManaged(o: SpawnOptions): Promise<ManagedProcess> {
  const wrapper = await wrapperArgs();
  const argv = [o.command, ...o.args];
  const full = [...wrapper, ...pinnedPrefix(o.cpus), ...argv];
  // detached: false keeps children in our process group, so a Ctrl-C in the terminal reaches them too.
  const child = spawn(full[0] as string, full.slice(1), {
    stdio: [o.stdin, 'pipe', 'pipe'],
    detached: false,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(new Error(`${o.name}: cannot start ${o.command}: ${e.message}`)));
  });
  const pid = child.pid as number;
  const pidFile = join(o.pidDir, pidFileName(o.name));
  const record: PidRecord = { name: o.name, pid, argv, startedAt: new Date().toISOString() };
  writeFileSync(pidFile, `${JSON.stringify(record)}\n`);
  return track(child, o.name, pid, argv, pidFile);
}

function track(
  child: ChildProcess,
  name: string,
  pid: number,
  argv: string[],
  pidFile: string,
): ManagedProcess {
  let tail = '';
  let exitedFlag = false;
  let pending = '';
  const lines: string[] = [];
  const lineWaiters = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stderr?.on('data', append);
  child.stdout?.on('data', (chunk: Buffer) => {
    append(chunk);
    pending += chunk.toString('utf8');
    let i: number;
    while ((i = pending.indexOf('\n')) >= 0) {
      if (lines.length < 100) lines.push(pending.slice(0, i));
      pending = pending.slice(i + 1);
    }
    for (const w of lineWaiters) w();
  });
  // A parent that no longer reads stdin must not crash on EPIPE when the child is gone.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      for (const w of lineWaiters) w();
      resolve({ code, signal });
    });
  });

  const outputTail = (): string => tail.trim();
  return {
    name,
    pid,
    argv,
    pidFile,
    exited,
    hasExited: () => exitedFlag,
    outputTail,
    waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          for (const l of lines) {
            const v = match(l);
            if (v !== undefined) return done(() => resolve(v));
          }
          if (exitedFlag)
            done(() =>
              reject(
                new Error(`${name} exited before it was ready. Its output:\n${outputTail() || '(none)'}`),
              ),
            );
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(
                  `${name} was not ready within ${timeoutMs} ms. Its output:\n${outputTail() || '(none)'}`,
                ),
              ),
            ),
          timeoutMs,
        );
        const done = (f: () => void): void => {
          clearTimeout(timer);
          lineWaiters.delete(check);
          f();
        };
        lineWaiters.add(check);
        check();
      });
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once every process has exited and its pid file is gone. */
export async function stopProcesses(ps: ManagedProcess[], graceMs = 2000): Promise<void> {
  await Promise.all(
    ps.map(async (p) => {
      if (!p.hasExited()) {
        signal(p.pid, 'SIGTERM');
        const timer = setTimeout(() => signal(p.pid, 'SIGKILL'), graceMs);
        await p.exited;
        clearTimeout(timer);
      }
      rmSync(p.pidFile, { force: true });
    }),
  );
}

/** SIGKILL without waiting (last resort; the kernel still delivers it if we exit right after). */
export function killProcessesNow(ps: ManagedProcess[]): void {
  for (const p of ps) if (!p.hasExited()) signal(p.pid, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
