import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';
import type { CommandIO } from '../../src/commands/io.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** Runs the CLI in this process, capturing what it prints. */
export async function runCli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (l) => out.push(l), err: (l) => err.push(l), status: () => {}, isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

/** Starts the CLI as a real child process (from sources, through tsx), for signal and cleanup tests. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { cwd?: string } = {},
): ChildProcess {
  return spawn(
    process.execPath,
    // tsx by its file URL: `--import tsx` would be resolved from the child's cwd, which may be anywhere.
    ['--import', TSX_LOADER, fileURLToPath(new URL('../../src/cli.ts', import.meta.url)), ...args],
    {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function collect(child: ChildProcess): { lines: string[]; done: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    lines.push(...d.toString().split('\n').filter(Boolean));
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { lines, done };
}
