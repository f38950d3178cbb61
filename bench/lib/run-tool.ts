/**
 * Runs an external load tool (wrk, hey) and reports the CPU it used. Node does not expose a child's rusage, so
 * the tool runs under `bash -c '"$@"; times'`: bash's `times` builtin prints the user and system time of its
 * finished children, which is the tool's own CPU (bash itself only waits). The tool gets a process group of its
 * own, killed on timeout and by the bench's cleanup on error or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { killTree, onCleanup } from './cleanup.js';

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number | null;
  wallSeconds: number;
  /** User + system CPU seconds of the tool (bash `times`, children's line). */
  cpuSeconds: number;
}

/** Parses bash `times` output: the last line is the children's "XmY.YYYs XmY.YYYs" (user, system). */
export function parseBashTimes(text: string): { stdout: string; cpuSeconds: number } {
  const lines = text.trimEnd().split('\n');
  const re = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/;
  const children = re.exec(lines.at(-1) ?? '');
  const self = re.exec(lines.at(-2) ?? '');
  if (!children || !self) throw new Error('no bash `times` output at the end of the tool output');
  const sec = (m: string | undefined, s: string | undefined): number => Number(m) * 60 + Number(s);
  return {
    stdout: lines.slice(0, -2).join('\n'),
    cpuSeconds: sec(children[1], children[2]) + sec(children[3], children[4]),
  };
}

export async function runTool(argv: string[], timeoutMs: number): Promise<ToolRun> {
  const t0 = performance.now();
  const proc = spawn('bash', ['-c', '"$@"; rc=$?; times; exit $rc', 'bench-tool', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so the tool dies with bash on kill
  });
  const unregister = onCleanup(() => killTree(proc.pid, true));
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const timer = setTimeout(() => killTree(proc.pid, true), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  unregister();
  const wallSeconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${argv[0]} exited with ${code}: ${err.trim() || out.slice(-500)}`);
  const { stdout, cpuSeconds } = parseBashTimes(out);
  return { stdout, stderr: err, code, wallSeconds, cpuSeconds };
}
