import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.js';
import { errnoCode, fsUserError } from '../../files/fs-error.js';
import { makeDirs } from '../../files/make-dirs.js';

/**
 * Everything a local run creates lives in one directory (kube-burner style: found again by its marker, not
 * from memory), `$TMPDIR/meshbench-<run-id>-<12 random hex digits>`: the random part (48 bits from the
 * system's CSPRNG) makes the name unguessable in a shared /tmp, and the directory is created exclusively,
 * owner-only (0700), so a pre-planted file, directory or symbolic link of that name fails the run instead of
 * receiving its private keys. `meshbench cleanup --run <id>` finds it by the run id in its marker:
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

/** A fresh, unguessable run directory path for a run (not created here: see prepareRunDir). */
export function newRunDirPath(runId: string): string {
  return join(tmpdir(), `${RUN_DIR_PREFIX}${runId}-${randomBytes(6).toString('hex')}`);
}

/** How much longer than `$TMPDIR/meshbench-<run-id>` the run directory's path is (the random suffix). */
export const RUN_DIR_SUFFIX_LENGTH = 13;

export function assertSafeRunId(runId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId))
    throw new UserError(
      `run id "${runId}" cannot name a directory`,
      [],
      'use letters, digits, dot, dash, underscore',
    );
}

export const pidDir = (runDir: string): string => join(runDir, 'pids');

/**
 * Creates the run directory exclusively (owner-only, 0700) and its marker. Anything already at that path (a
 * directory, even an empty one, a file, a symbolic link) is refused and left alone: a run never shares or
 * reuses a directory, and never writes through a link.
 */
export async function prepareRunDir(runDir: string, runId: string): Promise<void> {
  try {
    await makeDirs(dirname(runDir));
    await mkdir(runDir, { mode: 0o700 }); // not recursive: EEXIST for anything already there, links included
  } catch (e) {
    if (errnoCode(e) === 'EEXIST')
      throw new UserError(
        `run directory ${runDir} already exists (not made by this run); meshbench creates a new one for every run and never reuses one`,
        [],
        'leave the path to meshbench (it picks a fresh, unguessable name), or pass a path that does not exist',
      );
    throw fsUserError(e, runDir, 'create the run directory');
  }
  await mkdir(pidDir(runDir), { mode: 0o700 });
  const marker: RunMarker = {
    runId,
    ownerPid: process.pid,
    ownerArgv: readCmdlineSync(process.pid) ?? process.argv,
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(runDir, RUN_MARKER), `${JSON.stringify(marker)}\n`, { flag: 'wx', mode: 0o600 });
}

/**
 * Whether a directory may be a run directory that cleanup can act on: a real directory (not a symbolic link)
 * of this user, writable by nobody else. Anything else in a shared /tmp could have been planted to make
 * cleanup kill processes or delete files it names.
 */
export async function isOwnRunDir(dir: string): Promise<boolean> {
  try {
    const s = await lstat(dir);
    const uid = process.getuid?.();
    return s.isDirectory() && (uid === undefined || s.uid === uid) && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * Run directories in the temp dir that are this user's and carry a marker: all of them, or those of one run
 * id (its marker names it; also the fixed `meshbench-<id>` of older versions).
 */
export async function findRunDirs(runId?: string): Promise<{ dir: string; marker: RunMarker }[]> {
  const names = (await readdir(tmpdir()).catch(() => [] as string[])).filter((n) =>
    runId === undefined
      ? n.startsWith(RUN_DIR_PREFIX)
      : n === `${RUN_DIR_PREFIX}${runId}` || n.startsWith(`${RUN_DIR_PREFIX}${runId}-`),
  );
  const out: { dir: string; marker: RunMarker }[] = [];
  for (const n of names.sort()) {
    const dir = join(tmpdir(), n);
    if (!(await isOwnRunDir(dir))) continue;
    const marker = await readMarker(dir);
    if (marker && (runId === undefined || marker.runId === runId)) out.push({ dir, marker });
  }
  return out;
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
