import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunStatus } from './schema.js';

/**
 * Marks a results.json that still says "running" as ended, synchronously: for the moment a process must exit
 * at once (a second Ctrl-C, SIGTERM or SIGHUP) and no async write will get to run. Same atomic temp-file +
 * rename as files/atomic-files.ts. Returns whether it changed the file; never throws (the process is exiting:
 * a results.json left "running" is still read as interrupted once the process is gone, see run-owner.ts).
 */
export function finalizeResultsSync(
  path: string,
  status: Exclude<RunStatus, 'running' | 'complete'>,
  error: string,
): boolean {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as {
      status?: string;
      error?: string;
      finishedAt?: string;
    };
    if (r.status !== 'running') return false;
    r.status = status;
    r.error = [r.error, error].filter(Boolean).join('; ');
    r.finishedAt = new Date().toISOString();
    const fd = openSync(tmp, 'wx', 0o666);
    try {
      writeSync(fd, JSON.stringify(r, null, 1) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}
