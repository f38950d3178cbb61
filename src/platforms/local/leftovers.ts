import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PidRecord } from './managed-process.js';
import {
  assertSafeRunId,
  findRunDirs,
  isOwnRunDir,
  pidDir,
  readCmdlineSync,
  readMarker,
  sameArgv,
} from './run-dir.js';

/**
 * Removes what crashed local runs left behind, from a fresh process: reads each run directory's pid files,
 * stops a process only while /proc/<pid>/cmdline still equals the recorded command line (a recycled pid now
 * running something else is never touched), then deletes the directory.
 * With a runId: that run only, even if its owner is alive (the caller asked for it by name). Without: every
 * run directory in the temp dir whose owning meshbench process is gone; live runs are left alone.
 * With dryRun: lists what it would remove and touches nothing.
 */
export async function cleanupLeftovers(
  opts: { runId?: string; dryRun?: boolean } = {},
): Promise<{ removed: string[] }> {
  const removed: string[] = [];
  let dirs: string[];
  if (opts.runId !== undefined) {
    assertSafeRunId(opts.runId);
    dirs = (await findRunDirs(opts.runId)).map((d) => d.dir);
  } else {
    dirs = (await findRunDirs())
      .filter((d) => !ownerAlive(d.marker.ownerPid, d.marker.ownerArgv))
      .map((d) => d.dir);
  }
  for (const dir of dirs) {
    // Never delete a directory that is not a run's, nor act on one someone else could have planted.
    if (!existsSync(dir) || !(await isOwnRunDir(dir)) || !(await readMarker(dir))) continue;
    for (const rec of await readPidRecords(dir)) {
      const cmd = readCmdlineSync(rec.pid);
      if (cmd === null || !sameArgv(cmd, rec.argv)) continue;
      if (!opts.dryRun) await killAndWait(rec.pid, rec.argv);
      removed.push(`process ${rec.pid} (${rec.name}: ${rec.argv.join(' ')})`);
    }
    if (!opts.dryRun) await rm(dir, { recursive: true, force: true });
    removed.push(`directory ${dir}`);
  }
  return { removed };
}

function ownerAlive(pid: number, argv: string[]): boolean {
  const cmd = readCmdlineSync(pid);
  return cmd !== null && sameArgv(cmd, argv);
}

async function readPidRecords(runDir: string): Promise<PidRecord[]> {
  const dir = pidDir(runDir);
  if (!existsSync(dir)) return [];
  const out: PidRecord[] = [];
  for (const f of await readdir(dir)) {
    try {
      const rec = JSON.parse(await readFile(join(dir, f), 'utf8')) as PidRecord;
      if (Number.isInteger(rec.pid) && rec.pid > 1 && Array.isArray(rec.argv)) out.push(rec);
    } catch {
      // A half-written pid file names no process we can verify: skip it.
    }
  }
  return out;
}

/** SIGTERM, SIGKILL after 2 s; done when the pid no longer runs the recorded command. */
async function killAndWait(pid: number, argv: string[]): Promise<void> {
  const stillOurs = (): boolean => {
    const cmd = readCmdlineSync(pid);
    // A zombie (our own exited child not yet reaped) has an empty cmdline: it runs nothing any more.
    return cmd !== null && sameArgv(cmd, argv);
  };
  const send = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  };
  send('SIGTERM');
  const start = Date.now();
  let killed = false;
  while (stillOurs()) {
    if (!killed && Date.now() - start > 2000) {
      send('SIGKILL');
      killed = true;
    }
    if (Date.now() - start > 10_000) throw new Error(`process ${pid} (${argv.join(' ')}) did not exit`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
