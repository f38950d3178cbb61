import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { nativeBinary } from '../../runtime/native-binary.js';
import { nodeScript } from '../../runtime/node-script.js';

/** Which app server answers the load: results.json records it, and reports print it. */
export interface AppServerCommand {
  command: string;
  args: string[];
  implementation: 'native' | 'node';
}

/** What results.json and the reports say of each implementation. */
export const APP_IMPLEMENTATIONS: Record<AppServerCommand['implementation'], string> = {
  native:
    'native app server (native/app-server.c): holds each request for app.delayMs to within tens of microseconds',
  node: 'Node.js app server (the fallback when the native one is not built): app.delayMs is held by a timer that fires up to about 1 ms late, and Node adds its own latency and jitter',
};

/**
 * The command that runs the app as a child process: the native app server when it is built (it holds the
 * spec's delay to the microsecond, and adds no latency or jitter of its own), else app-server.ts.
 *
 * For the Node fallback: from dist it is the compiled .js. From sources (vitest, tsx) nodeScript would load the
 * .ts through tsx, which costs about 0.5 CPU-seconds per process at start (measured: 0.55 s user vs 0.12 s for
 * plain node); with one process per replica per mode, that is most of an up(). So the .ts (it imports node
 * built-ins only) is transpiled once per run into the run directory instead and started with plain node.
 */
export async function appServerCommand(
  runDir: string,
  prefer: 'auto' | 'node' = 'auto',
): Promise<AppServerCommand> {
  const native = prefer === 'auto' ? nativeBinary('app-server') : undefined;
  if (native) return { command: native, args: [], implementation: 'native' };
  const script = nodeScript('app-server', import.meta.url);
  if (!script.file.endsWith('.ts'))
    return { command: process.execPath, args: [...script.execArgv, script.file], implementation: 'node' };
  const out = join(runDir, 'app-server.mjs');
  const { code } = await transform(await readFile(script.file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    platform: 'node',
    target: 'node20',
  });
  await writeFile(out, code);
  return { command: process.execPath, args: [out], implementation: 'node' };
}

/**
 * The command that runs the h2c and gRPC app (protocol-app.ts) as a child process. It imports @grpc/grpc-js,
 * so unlike app-server.ts it is bundled (esbuild, once per run, into the run directory) rather than only
 * transpiled: a file in the run directory cannot resolve the package. CommonJS, because grpc-js is.
 */
export async function protocolAppCommand(runDir: string): Promise<{ command: string; args: string[] }> {
  const { build } = await import('esbuild');
  const script = nodeScript('protocol-app', import.meta.url);
  const out = join(runDir, 'protocol-app.cjs');
  await build({
    entryPoints: [script.file],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  return { command: process.execPath, args: [out] };
}
