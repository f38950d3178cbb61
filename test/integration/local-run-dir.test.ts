import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getMode } from '../../src/modes/registry.js';
import {
  cleanupLeftovers,
  createLocalPlatform,
  type LocalPlatform,
} from '../../src/platforms/local/index.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { runCli } from '../helpers/cli.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';

/**
 * Issue 14: the run directory's name in the shared /tmp was predictable (`--run-id`, or a timestamp and 16
 * random bits), a pre-planted symlink /tmp/meshbench-<id> was followed (the CA and proxy keys were written
 * into its target and left there), an existing empty directory was reused, two runs with one id shared a
 * directory, and a long TMPDIR was only found once baseline's proxies had started.
 */
const platforms: LocalPlatform[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const p of platforms.splice(0)) await p.down();
  for (const c of cleanups.splice(0)) c();
});

function scratch(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function keyFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.key') || f.endsWith('.pem'),
  );
}

describe('the run directory', () => {
  it('a pre-planted symlink /tmp/meshbench-<id> is not followed: no key reaches its target; the directory is 0700', async () => {
    const runId = `planted-${process.pid}`;
    const target = scratch('meshbench-test-attacker-');
    const planted = join(tmpdir(), `meshbench-${runId}`);
    symlinkSync(target, planted);
    cleanups.push(() => rmSync(planted, { force: true }));
    const p = createLocalPlatform({ engine: createBuiltinEngine(), runId, spec: DEFAULT_SPEC });
    platforms.push(p);
    const d = await p.up(getMode('istio-sidecar')); // mutual TLS: a CA and a key per proxy
    expect(p.runDir).not.toBe(planted);
    const st = lstatSync(p.runDir);
    expect(st.isDirectory() && !st.isSymbolicLink()).toBe(true);
    expect(st.mode & 0o777).toBe(0o700);
    expect(d.local.caFile?.startsWith(p.runDir)).toBe(true);
    expect(keyFiles(p.runDir).length).toBeGreaterThan(0);
    expect(readdirSync(target)).toEqual([]);
    await p.down();
    expect(existsSync(p.runDir)).toBe(false);
    expect(readdirSync(target)).toEqual([]);
    expect(lstatSync(planted).isSymbolicLink()).toBe(true); // not ours: left alone
  });

  it('two runs with the same run id get two directories and run side by side (no shared CA)', async () => {
    const runId = `twin-${process.pid}`;
    const a = createLocalPlatform({ engine: createBuiltinEngine(), runId, spec: DEFAULT_SPEC });
    const b = createLocalPlatform({ engine: createBuiltinEngine(), runId, spec: DEFAULT_SPEC });
    platforms.push(a, b);
    expect(a.runDir).not.toBe(b.runDir);
    expect(a.runDir).toMatch(new RegExp(`/meshbench-${runId}-[0-9a-f]{12}$`));
    const [da, db] = await Promise.all([a.up(getMode('istio-sidecar')), b.up(getMode('istio-sidecar'))]);
    expect(readFileSync(da.local.caFile as string, 'utf8')).not.toBe(
      readFileSync(db.local.caFile as string, 'utf8'),
    );
  });

  it('an existing empty directory is refused, never reused', async () => {
    const existing = scratch('meshbench-test-existing-');
    const p = createLocalPlatform({
      engine: createBuiltinEngine(),
      runId: 'x',
      spec: DEFAULT_SPEC,
      runDir: existing,
    });
    platforms.push(p);
    await expect(p.up(getMode('baseline'))).rejects.toThrow(/already exists \(not made by this run\)/);
    expect(readdirSync(existing)).toEqual([]);
  });

  it("cleanup leaves a planted directory alone that is not this user's private run directory", async () => {
    const runId = `bait-${process.pid}`;
    const bait = join(tmpdir(), `meshbench-${runId}`);
    mkdirSync(join(bait, 'pids'), { recursive: true });
    chmodSync(bait, 0o777); // writable by anyone: anyone could have put this here
    cleanups.push(() => rmSync(bait, { recursive: true, force: true }));
    const victim: ChildProcess = spawn('sleep', ['30'], { stdio: 'ignore' });
    cleanups.push(() => victim.kill('SIGKILL'));
    writeFileSync(
      join(bait, 'meshbench-run.json'),
      JSON.stringify({ runId, ownerPid: 999_999_999, ownerArgv: ['gone'], createdAt: '' }),
    );
    writeFileSync(
      join(bait, 'pids', 'victim.json'),
      JSON.stringify({ name: 'victim', pid: victim.pid, argv: ['sleep', '30'], startedAt: '' }),
    );
    const { removed } = await cleanupLeftovers({ runId });
    expect(removed).toEqual([]);
    expect(victim.exitCode).toBeNull();
    expect(victim.signalCode).toBeNull();
    expect(existsSync(bait)).toBe(true);
  });

  it("a TMPDIR too long for the proxies' UNIX sockets is refused before anything starts (exit 2)", async () => {
    const out = scratch('meshbench-test-longtmp-out-');
    const long = join(scratch('meshbench-test-longtmp-'), 'x'.repeat(80));
    mkdirSync(long);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = long;
    try {
      const r = await runCli([
        'run',
        '--modes',
        'baseline,istio-sidecar',
        '--quick',
        '--tiers',
        'low',
        '--out',
        out,
      ]);
      expect(r.code, r.err.join('\n')).toBe(2);
      expect(r.err.join('\n')).toMatch(/too long for the proxies' UNIX sockets/);
      expect(r.err.join('\n')).toMatch(/^fix: set TMPDIR to a shorter directory/m);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(readdirSync(long)).toEqual([]); // no run directory: nothing started
    expect(readdirSync(out)).toEqual([]); // no results either
  });
});
