import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors.js';

/**
 * Everything a local run creates lives in one directory (kube-burner style: found again by its name and
 * marker, not from memory):
 *   meshbench-run.json   marker: run id, and the owning meshbench process (pid + command line)
 *   pids/                one pid file per process (managed-process.ts)
 *   certs/               CA and leaf certificates
 *   <mode>/              haproxy.cfg and stats socket per proxy
 */
export const RUN_MARKER = 'meshbench-run.json';
export const RUN_DIR_PREFIX = 'meshbench-';

export interface RunMarker {
  runId: string;
  ownerPid: number;
  ownerArgv: string[];
  createdAt: string;
}

export function defaultRunDir(runId: string): string {
  return join(tmpdir(), `${RUN_DIR_PREFIX}${runId}`);
}

export function assertSafeRunId(runId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId))
    throw new UserError(
      `run id "${runId}" cannot name a directory`,
      [],
      'use letters, digits, dot, dash, underscore',
    );
}

export const pidDir = (runDir: string): string => join(runDir, 'pids');

/** Creates the run directory and its marker. Refuses a directory that exists with content but is not a run's. */
export async function prepareRunDir(runDir: string, runId: string): Promise<void> {
  if (existsSync(runDir)) {
    const entries = await readdir(runDir);
    if (entries.length > 0 && !entries.includes(RUN_MARKER))
      throw new UserError(
        `run directory ${runDir} already exists and was not made by meshbench`,
        [],
        'pass an empty or new runDir; meshbench removes it when the run ends',
      );
  }
  await mkdir(pidDir(runDir), { recursive: true });
  const marker: RunMarker = {
    runId,
    ownerPid: process.pid,
    ownerArgv: readCmdlineSync(process.pid) ?? process.argv,
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(runDir, RUN_MARKER), `${JSON.stringify(marker)}\n`);
}

export async function readMarker(runDir: string): Promise<RunMarker | null> {
  try {
    return JSON.parse(await readFile(join(runDir, RUN_MARKER), 'utf8')) as RunMarker;
  } catch {
    return null;
  }
}

/** /proc/<pid>/cmdline is NUL-separated with a trailing NUL. */
export function parseCmdline(raw: string): string[] {
  const parts = raw.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The command line of a live process, or null when there is no such process (or no /proc). */
export function readCmdlineSync(pid: number): string[] | null {
  try {
    return parseCmdline(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return null;
  }
}
