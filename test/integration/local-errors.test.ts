import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { getMode } from '../../src/modes/registry.js';
import {
  createLocalPlatform,
  haproxyVersion,
  opensslVersion,
  type LocalPlatform,
} from '../../src/platforms/local/index.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import type { ResolvedSpec } from '../../src/spec/schema.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';

const dir = mkdtempSync(join(tmpdir(), 'meshbench-test-fake-'));
// An "haproxy" that reports a version but rejects every configuration, as a real one does with a bad config.
const fake = join(dir, 'haproxy');
writeFileSync(
  fake,
  '#!/bin/sh\nif [ "$1" = "-v" ]; then echo "HAProxy version 9.9.9-fake"; exit 0; fi\necho "[ALERT] (1) : config : fake rejects $3" >&2\nexit 1\n',
);
chmodSync(fake, 0o755);

let platform: LocalPlatform | undefined;
afterEach(async () => {
  await platform?.down();
  platform = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const withHaproxy = (bin: string): ResolvedSpec => ({
  ...DEFAULT_SPEC,
  local: { ...DEFAULT_SPEC.local, haproxy: bin },
});

describe('local platform errors', () => {
  it('reports the tools doctor checks', async () => {
    expect(await haproxyVersion('haproxy')).toMatch(/^\d+\.\d+\.\d+/);
    expect(await haproxyVersion(join(dir, 'missing'))).toBeNull();
    expect(await opensslVersion()).toMatch(/^(OpenSSL|LibreSSL) \d/);
  });

  it('a missing HAProxy is a UserError naming the fix, from describe() and up(), with nothing started', async () => {
    platform = createLocalPlatform({
      engine: createBuiltinEngine(),
      runId: `test-nohap-${process.pid}`,
      spec: withHaproxy(join(dir, 'missing')),
    });
    for (const call of [() => platform!.describe(), () => platform!.up(getMode('appmesh'))]) {
      const e = await call().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).fix).toMatch(
        /apt-get install -y haproxy.*brew install haproxy.*local\.haproxy/,
      );
    }
    expect(existsSync(platform.runDir)).toBe(false);
  });

  it('an HAProxy that rejects its config fails up() naming the process and its output, leaving nothing running', async () => {
    platform = createLocalPlatform({
      engine: createBuiltinEngine(),
      runId: `test-badcfg-${process.pid}`,
      spec: withHaproxy(fake),
    });
    const e = (await platform.up(getMode('appmesh')).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toMatch(/appmesh\/(client|server)-sidecar(-\d)? \(haproxy\) exited during start-up/);
    expect(e.message).toContain('[ALERT] (1) : config : fake rejects');
    // The app servers it had started are stopped already (their pid files are gone), before down().
    expect(readdirSync(join(platform.runDir, 'pids'))).toEqual([]);
    await platform.down();
    expect(existsSync(platform.runDir)).toBe(false);
  });

  it('down() during up() stops what up() had started, and up() rejects; nothing of the run remains', async () => {
    platform = createLocalPlatform({
      engine: createBuiltinEngine(),
      runId: `test-race-${process.pid}`,
      spec: DEFAULT_SPEC,
    });
    const up = platform.up(getMode('istio-waypoint'));
    up.catch(() => undefined);
    const pids = join(platform.runDir, 'pids');
    // Wait until up() is mid-way: its first process exists (an app server, before any proxy).
    for (let i = 0; i < 500 && !(existsSync(pids) && readdirSync(pids).length > 0); i++)
      await new Promise((r) => setTimeout(r, 10));
    await platform.down();
    await expect(up).rejects.toThrow(/went down|exited/);
    expect(existsSync(platform.runDir)).toBe(false);
    // No process anywhere still runs with this run's directory on its command line.
    const ours = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(platform!.runDir);
        } catch {
          return false;
        }
      });
    expect(ours).toEqual([]);
  });

  it('killNow() kills every process at once and deletes the run directory; down() after it is harmless', async () => {
    platform = createLocalPlatform({
      engine: createBuiltinEngine(),
      runId: `test-killnow-${process.pid}`,
      spec: DEFAULT_SPEC,
    });
    const d = await platform.up(getMode('appmesh'));
    platform.killNow();
    expect(existsSync(platform.runDir)).toBe(false);
    const pids = d.local.processes.map((p) => p.pid);
    const gone = (pid: number): boolean => {
      try {
        return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 100 && !pids.every(gone); i++) await new Promise((r) => setTimeout(r, 10));
    expect(pids.filter((p) => !gone(p))).toEqual([]);
    await platform.down();
  });

  it('refuses a runDir that exists and is not a run directory, and leaves it alone', async () => {
    const foreign = mkdtempSync(join(tmpdir(), 'meshbench-test-foreign-dir-'));
    writeFileSync(join(foreign, 'precious.txt'), 'keep me');
    try {
      platform = createLocalPlatform({
        engine: createBuiltinEngine(),
        runId: 'x',
        spec: DEFAULT_SPEC,
        runDir: foreign,
      });
      await expect(platform.up(getMode('baseline'))).rejects.toThrow(
        /already exists \(not made by this run\)/,
      );
      await platform.down();
      expect(existsSync(join(foreign, 'precious.txt'))).toBe(true);
    } finally {
      rmSync(foreign, { recursive: true, force: true });
    }
  });
});
