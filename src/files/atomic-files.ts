import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fsUserError } from './fs-error.js';
import { makeDirs } from './make-dirs.js';

/** A file to write: an absolute or relative path, and its whole content. */
export interface FileToWrite {
  path: string;
  content: string | Uint8Array;
}

/** The file-system calls the writer makes: node:fs/promises, or a double that injects failures (tests). */
export interface WriterFs {
  /** `mkdir -p`; returns the first directory it made (see make-dirs.ts). */
  mkdirs(path: string): Promise<string | undefined>;
  /** Opens a new file exclusively ('wx'): never an existing file, never through a symbolic link. */
  open(
    path: string,
    flags: 'wx',
    mode: number,
  ): Promise<{
    writeFile(data: string | Uint8Array): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, opts: { force: true }): Promise<void>;
  rmdir(path: string): Promise<void>;
  lstat(path: string): Promise<{ isDirectory(): boolean }>;
}

export const nodeWriterFs: WriterFs = {
  mkdirs: (p) => makeDirs(p),
  open: (p, f, m) => fsp.open(p, f, m),
  rename: (a, b) => fsp.rename(a, b),
  rm: (p, o) => fsp.rm(p, o),
  rmdir: (p) => fsp.rmdir(p),
  lstat: (p) => fsp.lstat(p),
};

/** The temp file a target is first written to: hidden, in the same directory (so the rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes several files all-or-nothing, as far as a file system allows: every file goes to a temp file in its
 * own directory (created exclusively, written, fsynced) first; only when all of them are complete are they
 * renamed over their targets, each rename atomic. Any failure before that removes every temp file and every
 * directory this call created, and nothing is replaced. Targets that would refuse a rename (a directory of
 * that name) are checked before the first rename, so that a rename can then only fail for reasons outside
 * the user's control. A user-fixable failure (read-only, full, missing, mistyped path) is a UserError naming
 * the path; see fs-error.ts.
 */
export async function writeFilesAtomically(
  files: readonly FileToWrite[],
  fs: WriterFs = nodeWriterFs,
): Promise<void> {
  const targets = files.map((f) => resolve(f.path));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t)) throw new Error(`writeFilesAtomically: ${t} is listed twice`);
    seen.add(t);
  }
  const createdDirs: string[] = [];
  const temps: string[] = [];
  const undo = async (): Promise<void> => {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true }).catch(() => undefined)));
    // Deepest first; rmdir only removes a directory that is empty, so nothing that was there is lost.
    for (const d of createdDirs.sort((a, b) => b.length - a.length)) await fs.rmdir(d).catch(() => undefined);
  };
  let current = targets[0] ?? '';
  let doing = 'write';
  try {
    for (const [i, target] of targets.entries()) {
      current = target;
      doing = 'create the directory for';
      const made = await fs.mkdirs(dirname(target));
      if (made !== undefined) {
        // mkdir -p reports the first directory it made; every one below it up to dirname(target) is new too.
        for (let d = dirname(target); ; d = dirname(d)) {
          createdDirs.push(d);
          if (d === made || d === dirname(d)) break;
        }
      }
      doing = 'write';
      const tmp = tempPathFor(target);
      const fh = await fs.open(tmp, 'wx', 0o666);
      temps.push(tmp);
      try {
        await fh.writeFile((files[i] as FileToWrite).content);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    doing = 'replace';
    for (const target of targets) {
      current = target;
      const st = await fs.lstat(target).catch(() => undefined);
      if (st?.isDirectory()) {
        const e = new Error(`${target} is a directory`) as NodeJS.ErrnoException;
        e.code = 'EISDIR';
        throw e;
      }
    }
  } catch (e) {
    await undo();
    throw fsUserError(e, current, doing);
  }
  for (const [i, target] of targets.entries()) {
    try {
      await fs.rename(temps[i] as string, target);
    } catch (e) {
      await Promise.all(temps.slice(i).map((t) => fs.rm(t, { force: true }).catch(() => undefined)));
      throw fsUserError(e, target, 'replace');
    }
  }
}

/** One file, atomically: a reader (or a crash at any moment) sees the old complete file or the new one. */
export async function writeFileAtomically(
  path: string,
  content: string | Uint8Array,
  fs?: WriterFs,
): Promise<void> {
  await writeFilesAtomically([{ path, content }], fs);
}
