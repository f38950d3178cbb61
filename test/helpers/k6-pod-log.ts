import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWrapperScript } from '../../src/platforms/kubernetes/k6-reduce.js';
import { k6Fixtures } from './shared-data.js';

export const K6_FIXTURES = k6Fixtures.path;

/**
 * Runs the load pod's real wrapper script (k6-reduce.ts) with a stand-in `k6` on PATH that writes a recorded k6
 * CSV output (shared/fixtures/k6) where the wrapper told it to, and exits with `exitCode`. Returns what the
 * pod's log would hold. `shell` is ['sh'] or ['busybox', 'sh'] (the grafana/k6 image's shell and awk). `k6Extra`:
 * shell lines the stand-in runs before it exits (e.g. to make its cgroup's CPU time grow).
 */
export function podLogFromFixture(
  fixtureCsv: string,
  o: { exitCode?: number; shell?: string[]; env?: Record<string, string>; k6Extra?: string } = {},
): { log: string; status: number } {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-k6pod-'));
  try {
    const bin = join(dir, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    writeFileSync(
      join(bin, 'k6'),
      `#!/bin/sh\nfor a in "$@"; do case "$a" in csv=*) out="\${a#csv=}";; esac; done\necho "fake k6 $*"\ncp "${fixtureCsv}" "$out"\n${o.k6Extra ?? ''}\nexit ${o.exitCode ?? 0}\n`,
    );
    chmodSync(join(bin, 'k6'), 0o755);
    const shell = o.shell ?? ['sh'];
    const script = join(dir, 'wrapper.sh');
    writeFileSync(script, loadWrapperScript());
    try {
      const log = execFileSync(shell[0]!, [...shell.slice(1), script], {
        env: {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          MESHBENCH_OUT_DIR: join(dir, 'out'),
          MESHBENCH_SCRIPT: '/scripts/x.js',
          ...o.env,
        },
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { log, status: 0 };
    } catch (e) {
      const err = e as { stdout?: string; status?: number };
      return { log: err.stdout ?? '', status: err.status ?? -1 };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
