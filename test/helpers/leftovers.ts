import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a local run had started, read from its run directory while it runs (pid files). */
export interface RunSnapshot {
  runDir: string;
  pids: number[];
  /** Loopback ports those processes were listening on. */
  ports: number[];
}

/**
 * Every directory in the temp dir that a run with this id may have made: `meshbench-<run-id>-<random>` (the
 * random part makes it unguessable; see src/platforms/local/run-dir.ts), or the fixed name of older versions.
 */
export function runDirsOf(runId: string): string[] {
  return readdirSync(tmpdir())
    .filter((n) => n === `meshbench-${runId}` || n.startsWith(`meshbench-${runId}-`))
    .filter((n) => {
      try {
        return (
          (JSON.parse(readFileSync(join(tmpdir(), n, 'meshbench-run.json'), 'utf8')) as { runId?: string })
            .runId === runId
        );
      } catch {
        return true; // no readable marker yet: count it, a leftover is a leftover
      }
    })
    .map((n) => join(tmpdir(), n));
}

/** The run directory of a run that has made one (the first, when a test made several with one id). */
export function runDirOf(runId: string): string {
  return runDirsOf(runId)[0] ?? join(tmpdir(), `meshbench-${runId}-(not created)`);
}

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) out.add(m[1]!);
      } catch {
        /* fd closed meanwhile */
      }
    }
  } catch {
    /* process gone */
  }
  return out;
}

/** Listening TCP sockets as inode -> port, from /proc/net/tcp and tcp6 (state 0A = LISTEN). */
export function listeningSockets(): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const port = parseInt(cols[1]!.split(':')[1]!, 16);
      out.set(cols[9]!, port);
    }
  }
  return out;
}

export function listeningPorts(): Set<number> {
  return new Set(listeningSockets().values());
}

export function snapshotRun(runId: string): RunSnapshot {
  const runDir = runDirOf(runId);
  const pidDir = join(runDir, 'pids');
  const pids: number[] = [];
  if (existsSync(pidDir)) {
    for (const f of readdirSync(pidDir)) {
      try {
        pids.push((JSON.parse(readFileSync(join(pidDir, f), 'utf8')) as { pid: number }).pid);
      } catch {
        /* being written */
      }
    }
  }
  const listening = listeningSockets();
  const ports = new Set<number>();
  for (const pid of pids)
    for (const inode of socketInodes(pid)) if (listening.has(inode)) ports.add(listening.get(inode)!);
  return { runDir, pids, ports: [...ports] };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead for our purposes (it holds no port and runs nothing).
  try {
    return !/^\S+ \([^)]*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Everything the snapshot saw is gone: processes, listening ports, run directory. */
export function leftovers(s: RunSnapshot): string[] {
  const left: string[] = [];
  for (const pid of s.pids) if (alive(pid)) left.push(`process ${pid}`);
  const listening = listeningPorts();
  for (const p of s.ports) if (listening.has(p)) left.push(`port ${p}`);
  if (existsSync(s.runDir)) left.push(`directory ${s.runDir}`);
  return left;
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
