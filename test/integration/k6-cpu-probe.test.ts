import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { K6CpuProbe } from '../../src/engines/k6/cpu-probe.js';

/**
 * The k6 engine reads k6's CPU time from /proc to tell a k6 short of CPU from a slow target. Known answer: a child
 * process that burns CPU and reports its own CPU time (process.cpuUsage, from getrusage) for the same stretch.
 */
const children: { kill: () => boolean }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

function lines(stream: NodeJS.ReadableStream): () => Promise<string> {
  let buf = '';
  const waiting: ((l: string) => void)[] = [];
  const ready: string[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line);
      else ready.push(line);
    }
  });
  return () => {
    const l = ready.shift();
    return l !== undefined ? Promise.resolve(l) : new Promise((resolve) => waiting.push(resolve));
  };
}

describe('K6CpuProbe', () => {
  it('reads a process CPU time over a window as the process itself counts it', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `process.stdin.once('data', () => {
           const a = process.cpuUsage();
           const until = Date.now() + 700;
           while (Date.now() < until) {}
           process.stdout.write(JSON.stringify(process.cpuUsage(a)) + '\\n');
           setTimeout(() => {}, 30000);
         });
         process.stdout.write('ready\\n');`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    children.push(child);
    const next = lines(child.stdout);
    expect(await next()).toBe('ready');
    const probe = new K6CpuProbe(0.7, 2);
    probe.attach(child.pid!);
    probe.start();
    await sleep(150); // the first reading is taken while the child idles
    child.stdin.write('go\n');
    const own = JSON.parse(await next()) as { user: number; system: number };
    probe.stop();
    const cpu = await probe.result();
    const ownSec = (own.user + own.system) / 1e6;
    expect(ownSec).toBeGreaterThan(0.3); // the child did burn
    expect(cpu?.cores).toBe(2);
    // /proc counts in 10 ms ticks at both ends, and the child handles its stdin inside the window too.
    expect(Math.abs((cpu?.k6CpuSeconds ?? 0) - ownSec)).toBeLessThan(0.04);
    expect(cpu?.seconds).toBeGreaterThanOrEqual(0.7);
    expect(cpu?.hostBusyCpuSeconds).toBeGreaterThanOrEqual((cpu?.k6CpuSeconds ?? 0) - 0.02);
  });

  it('gives no figure for a process that is gone, or for a span far shorter than the window', async () => {
    const gone = new K6CpuProbe(1);
    gone.attach(2 ** 22 + 12345); // above the default pid_max: no such process
    gone.start();
    gone.stop();
    expect(await gone.result()).toBeUndefined();
    const short = new K6CpuProbe(10);
    short.attach(process.pid);
    short.start();
    await sleep(50);
    short.stop();
    expect(await short.result()).toBeUndefined();
  });
});
