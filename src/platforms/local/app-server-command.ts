import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { nodeScript } from '../../runtime/node-script.js';

/**
 * The command that runs app-server as a child process. From dist it is the compiled .js. From sources
 * (vitest, tsx) nodeScript would load the .ts through tsx, which costs about 0.5 CPU-seconds per process at
 * start (measured: 0.55 s user vs 0.12 s for plain node); with one process per replica per mode, that is
 * most of an up(). So the .ts (it imports node built-ins only) is transpiled once per run into the run
 * directory instead and started with plain node.
 */
export async function appServerCommand(runDir: string): Promise<{ command: string; args: string[] }> {
  const script = nodeScript('app-server', import.meta.url);
  if (!script.file.endsWith('.ts'))
    return { command: process.execPath, args: [...script.execArgv, script.file] };
  const out = join(runDir, 'app-server.mjs');
  const { code } = await transform(await readFile(script.file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    platform: 'node',
    target: 'node20',
  });
  await writeFile(out, code);
  return { command: process.execPath, args: [out] };
}
