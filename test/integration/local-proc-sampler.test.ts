import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveProxy } from '../../src/platforms/platform.js';
import { createProcSampler } from '../../src/platforms/local/proc-sampler.js';

/** Known answers from real processes: a busy loop uses about one core, `sleep` about none. */
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(
    children.splice(0).map((c) =>
      c.exitCode !== null || c.signalCode !== null
        ? undefined
        : new Promise((r) => {
            c.once('exit', r);
            c.kill('SIGKILL');
          }),
    ),
  );
});

function start(cmd: string, args: string[]): ChildProcess {
  const c = spawn(cmd, args, { stdio: 'ignore' });
  children.push(c);
  return c;
}
const proxy = (id: string, pid: number): LiveProxy => ({
  info: { id, role: 'node-proxy', scope: 'node', node: 'node-1', implementation: 'test' },
  locator: { kind: 'pid', pid },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('proc sampler', () => {
  it('reads CPU and memory of each pid between start() and stop() only', async () => {
    const busy = start(process.execPath, [
      '-e',
      'const end = Date.now() + 5000; while (Date.now() < end) {}',
    ]);
    const idle = start('sleep', ['5']);
    const sampler = createProcSampler(
      [
        proxy('busy', busy.pid as number),
        proxy('idle', idle.pid as number),
        {
          info: { ...proxy('pod', 1).info },
          locator: { kind: 'container', namespace: 'n', pod: 'p', container: 'c', node: 'x' },
        },
      ],
      100,
    );
    await sleep(300); // before start(): nothing may be read
    sampler.start();
    await sleep(1000);
    const series = await sampler.stop();
    const busyPts = series.find((s) => s.proxyId === 'busy')?.points ?? [];
    const idlePts = series.find((s) => s.proxyId === 'idle')?.points ?? [];
    // 1000 ms at 100 ms: 10 readings after the reference one; a loaded box may delay some timer ticks.
    expect(busyPts.length).toBeGreaterThanOrEqual(5);
    expect(busyPts.length).toBeLessThanOrEqual(11);
    for (const p of busyPts) expect(p.tMs).toBeGreaterThan(0);
    expect(Math.max(...busyPts.map((p) => p.tMs))).toBeLessThanOrEqual(1000 + 500);
    // One thread busy-looping: about 1000 millicores. Lower bound 300: the 2-core test box is shared with
    // other test runs, so the loop may get a fraction of a core; upper 1300: one thread cannot use more than
    // one core, plus a 10 ms clock tick of quantisation over ~100 ms intervals.
    const busyCpu = mean(busyPts.map((p) => p.cpuMillicores));
    expect(busyCpu).toBeGreaterThan(300);
    expect(busyCpu).toBeLessThan(1300);
    expect(Math.min(...busyPts.map((p) => p.memMiB))).toBeGreaterThan(5); // a node process holds >5 MiB resident
    // `sleep` uses no CPU: allow two stray 10 ms clock ticks over the whole second (20 millicores on average).
    expect(mean(idlePts.map((p) => p.cpuMillicores))).toBeLessThanOrEqual(20);
    expect(idlePts.every((p) => p.memMiB > 0)).toBe(true);
    // A proxy that is not a local process is listed with no points.
    expect(series.find((s) => s.proxyId === 'pod')?.points).toEqual([]);
  });

  it('a sampler never started reads nothing', async () => {
    const busy = start(process.execPath, ['-e', 'setTimeout(() => {}, 3000)']);
    const sampler = createProcSampler([proxy('x', busy.pid as number)], 50);
    await sleep(300);
    expect(await sampler.stop()).toEqual([{ proxyId: 'x', points: [] }]);
  });

  it('stops reading a process that exited, keeping what was read', async () => {
    const short = start('sleep', ['0.4']);
    const sampler = createProcSampler([proxy('short', short.pid as number)], 100);
    sampler.start();
    await sleep(900);
    const [s] = await sampler.stop();
    expect(s?.points.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...(s?.points ?? []).map((p) => p.tMs))).toBeLessThan(700);
  });

  it('resolves a small CPU share in every 100 ms point, finer than a 10 ms clock tick', async () => {
    // The child uses 3 ms of CPU (its own account, process.cpuUsage) then sleeps 27 ms: about 100 millicores,
    // whatever the machine's load (a busier machine stretches the cycle, which lowers the share a little).
    // Charged by clock ticks, a 100 ms point of a 100 m process reads 0, 100 or 200 (zero in about a third of
    // the points); from the threads' run time in nanoseconds, each point reads close to 100.
    const duty = start(process.execPath, [
      '-e',
      `const sab = new Int32Array(new SharedArrayBuffer(4));
       const end = Date.now() + 6000;
       while (Date.now() < end) {
         const t0 = process.cpuUsage();
         for (;;) { const d = process.cpuUsage(t0); if (d.user + d.system >= 3000) break; }
         Atomics.wait(sab, 0, 0, 27);
       }`,
    ]);
    await sleep(500); // node's start-up is not part of the share
    const sampler = createProcSampler([proxy('duty', duty.pid as number)], 100);
    sampler.start();
    await sleep(2000);
    const [s] = await sampler.stop();
    const cpu = (s?.points ?? []).map((p) => p.cpuMillicores);
    expect(cpu.length).toBeGreaterThanOrEqual(10);
    expect(mean(cpu)).toBeGreaterThan(40);
    expect(mean(cpu)).toBeLessThan(160);
    // Every point within a factor of about two of the share: no tick-quantised zeros or doubles.
    const inside = cpu.filter((c) => c >= 35 && c <= 180).length;
    expect(inside / cpu.length).toBeGreaterThanOrEqual(0.8);
  });
});
