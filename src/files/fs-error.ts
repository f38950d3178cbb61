import { UserError } from '../errors.js';

/**
 * File-system errors a user can fix (a read-only, missing, full or mistyped output path) as UserErrors that
 * name the path and the fix: exit 2, like any other bad input, never "internal error … please report it"
 * with exit 1, which a CI job would read as "cells failed". Anything else (EMFILE, EIO…) stays an internal error.
 */
interface Explanation {
  what: string;
  fix: string;
}

const EXPLAIN: Readonly<Record<string, Explanation>> = {
  EROFS: {
    what: 'the file system is read-only',
    fix: 'write to a directory on a writable file system (another --out, --json, --markdown or --junit path)',
  },
  EACCES: {
    what: 'permission denied',
    fix: 'write to a directory you may write to, or fix its permissions',
  },
  EPERM: {
    what: 'operation not permitted',
    fix: 'write to a directory you may write to, or fix its permissions',
  },
  ENOENT: {
    what: 'a directory on the way to it does not exist (or was removed meanwhile)',
    fix: 'check the path, or create the directory first',
  },
  ENOTDIR: {
    what: 'a part of the path is a file, not a directory',
    fix: 'check the path: every part before the last must be a directory',
  },
  EISDIR: {
    what: 'it is a directory, where a file is expected',
    fix: 'name a file, not a directory',
  },
  ENAMETOOLONG: {
    what: 'the path (or one of its names) is too long for the file system',
    fix: 'use a shorter path (Linux: at most 255 bytes per name, 4096 per path)',
  },
  ENOSPC: {
    what: 'no space left on the device',
    fix: 'free some space or write to another file system; nothing was left half-written',
  },
  EDQUOT: {
    what: 'disk quota exceeded',
    fix: 'free some space or write to another file system; nothing was left half-written',
  },
  EEXIST: {
    what: 'it already exists',
    fix: 'choose another path, or remove it first',
  },
  ELOOP: {
    what: 'too many symbolic links (or a symbolic link where none is allowed)',
    fix: 'use a plain path without symbolic links',
  },
};

/** The errno code of a Node.js file-system error, if it is one. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether the error is one a user can fix by choosing or fixing a path. */
export function isUserFixableFsError(e: unknown): boolean {
  const code = errnoCode(e);
  return code !== undefined && code in EXPLAIN;
}

/** A path as an error message shows it: in full, or its two ends with its length when it is very long. */
export function shownPath(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 100)}…${path.slice(-60)} (${path.length} characters)`;
}

/**
 * A UserError for a file-system error the user can fix, naming `path` and what was being done ("write",
 * "create directory", "read"); any other error is returned unchanged, for the caller to rethrow.
 */
export function fsUserError(e: unknown, path: string, doing: string): unknown {
  const code = errnoCode(e);
  const x = code === undefined ? undefined : EXPLAIN[code];
  if (!x || code === undefined) return e;
  return new UserError(`cannot ${doing} ${shownPath(path)}: ${x.what} (${code})`, [], x.fix);
}

/** Runs `f`; a user-fixable file-system error becomes a UserError naming `path`. */
export async function withFsErrors<T>(path: string, doing: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw fsUserError(e, path, doing);
  }
}
