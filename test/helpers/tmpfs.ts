import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real file systems that fail the way users' do: a tiny tmpfs that fills up (ENOSPC) and a read-only one
 * (EROFS). Mounting needs root (CAP_SYS_ADMIN); where it is not allowed, the tests that need it are reported
 * as skipped with the reason in their names (test/helpers/skip-reporter.ts), never silently dropped.
 */
function probe(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-test-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const canMount = probe();
export const MOUNT_SKIP = 'SKIPPED: needs root to mount a tmpfs';

/** Mounts a tmpfs on `dir` (which must exist): `sizeKiB` of space, read-only when asked. */
export function mountTmpfs(dir: string, o: { sizeKiB: number; readOnly?: boolean }): void {
  const opts = [`size=${o.sizeKiB}k`, ...(o.readOnly ? ['ro'] : [])].join(',');
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'ignore' });
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // not mounted (the test failed before mounting)
  }
}
