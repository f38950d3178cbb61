import * as fsp from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The calls makeDirs makes: node:fs/promises, or a double that injects failures (tests). */
export interface DirFs {
  mkdir(path: string, opts?: { mode?: number }): Promise<unknown>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
}

export const nodeDirFs: DirFs = {
  mkdir: (p, o) => fsp.mkdir(p, o),
  stat: (p) => fsp.stat(p),
};

/**
 * `mkdir -p`, one level at a time: finds the deepest existing ancestor, then creates each missing directory
 * below it. Returns the first directory it created (undefined when the path existed). Node's own
 * `mkdir(p, { recursive: true })` spins forever where a directory cannot be made and reports ENOENT (under
 * /proc, for instance), so it is not used. A missing path that cannot be created is ENOENT, a file on the
 * way ENOTDIR, as the caller's error mapping expects (fs-error.ts).
 */
export async function makeDirs(path: string, fs: DirFs = nodeDirFs): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = resolve(path); ; d = dirname(d)) {
    const st = await fs.stat(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (st) {
      if (!st.isDirectory()) {
        const e = new Error(`${d} is not a directory`) as NodeJS.ErrnoException;
        e.code = 'ENOTDIR';
        throw e;
      }
      break;
    }
    missing.push(d);
    if (d === dirname(d)) break;
  }
  for (const d of missing.reverse()) {
    await fs.mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e; // made meanwhile by someone else: fine
    });
  }
  return missing[0];
}
