import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getMode } from '../../src/modes/registry.js';
import {
  cleanupLeftovers,
  createLocalPlatform,
  type LocalPlatform,
} from '../../src/platforms/local/index.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { createBuiltinEngine } from '../../src/engines/builtin/index.js';

/**
 * A crashed run (its platform object dropped without down()) is cleaned up from what it left on disk: pid
 * files whose command lines still match, then the run directory. Nothing else is touched.
 */
const platforms: LocalPlatform[] = [];
const strangers: ChildProcess[] = [];
afterEach(async () => {
  for (const p of platforms.splice(0)) await p.down();
  for (const s of strangers.splice(0)) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
});

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('cleanupLeftovers', () => {
  it('kills the processes of a crashed run and removes its directory, but not a pid that now runs something else', async () => {
    const runId = `test-crash-${process.pid}`;
    const crashed = createLocalPlatform({ engine: createBuiltinEngine(), runId, spec: DEFAULT_SPEC });
    platforms.push(crashed); // only for afterEach if an assertion fails; the test itself never calls down()
    const d = await crashed.up(getMode('appmesh'));
    const pids = d.local.processes.map((p) => p.pid);
    expect(pids.length).toBe(5); // 3 sidecars + 2 apps

    // A pid file whose pid was recycled by an unrelated process: its command line does not match.
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    strangers.push(stranger);
    writeFileSync(
      join(crashed.runDir, 'pids', 'recycled.json'),
      JSON.stringify({
        name: 'appmesh/old',
        pid: stranger.pid,
        argv: ['haproxy', '-db', '-f', join(crashed.runDir, 'old.cfg')],
        startedAt: '',
      }),
    );

    const { removed } = await cleanupLeftovers({ runId });
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(crashed.runDir)).toBe(false);
    expect(removed).toContain(`directory ${crashed.runDir}`);
    expect(removed.filter((r) => r.startsWith('process '))).toHaveLength(5);
    expect(alive(stranger.pid as number)).toBe(true);
  });

  it('a meshbench killed hard (SIGKILL) takes its processes with it; cleanupLeftovers() then finds the orphaned directory', async () => {
    const runId = `test-sigkill-${process.pid}`;
    const index = fileURLToPath(new URL('../../src/platforms/local/index.ts', import.meta.url));
    const defaults = fileURLToPath(new URL('../../src/spec/defaults.ts', import.meta.url));
    const registry = fileURLToPath(new URL('../../src/modes/registry.ts', import.meta.url));
    const builtin = fileURLToPath(new URL('../../src/engines/builtin/index.ts', import.meta.url));
    const script = `
      const { createLocalPlatform } = await import(${JSON.stringify(index)});
      const { createBuiltinEngine } = await import(${JSON.stringify(builtin)});
      const { DEFAULT_SPEC } = await import(${JSON.stringify(defaults)});
      const { getMode } = await import(${JSON.stringify(registry)});
      const p = createLocalPlatform({ engine: createBuiltinEngine(), runId: ${JSON.stringify(runId)}, spec: DEFAULT_SPEC });
      const d = await p.up(getMode('istio-ambient'));
      console.log(JSON.stringify({ runDir: p.runDir, pids: d.local.processes.map((x) => x.pid) }));
      setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    strangers.push(owner);
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      owner.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      owner.once('exit', () => reject(new Error(`owner exited early: ${out}`)));
    });
    const { runDir, pids } = JSON.parse(line) as { runDir: string; pids: number[] };
    expect(pids.filter(alive)).toHaveLength(4); // 2 ztunnels + 2 apps
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('exit', r));
    // setpriv --pdeathsig KILL: the kernel kills them when their parent dies; allow the box a moment.
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(runDir)).toBe(true);
    const { removed } = await cleanupLeftovers(); // no run id: every run whose owner is gone
    expect(removed).toContain(`directory ${runDir}`);
    expect(existsSync(runDir)).toBe(false);
  });

  it('without a run id, leaves runs whose owner is alive alone', async () => {
    const live = createLocalPlatform({
      engine: createBuiltinEngine(),
      runId: `test-live-${process.pid}`,
      spec: DEFAULT_SPEC,
    });
    platforms.push(live);
    const d = await live.up(getMode('baseline'));
    const { removed } = await cleanupLeftovers();
    expect(removed.filter((r) => r.includes(live.runDir))).toEqual([]);
    expect(d.local.processes.every((p) => alive(p.pid))).toBe(true);
    expect(existsSync(live.runDir)).toBe(true);
  });

  it('refuses a run id that is not a plain name, and is a no-op for an unknown run', async () => {
    await expect(cleanupLeftovers({ runId: '../etc' })).rejects.toThrow(/cannot name a directory/);
    expect(await cleanupLeftovers({ runId: `never-ran-${process.pid}` })).toEqual({ removed: [] });
  });
});
