import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Writes the k6 test double (main.ts, bundled into one file that needs only Node) into `dir` and returns the path
 * of its `k6` executable. From a shell: `npx tsx test/helpers/fake-k6/build.ts <dir>` prints that path, e.g. for
 * `meshbench run --engine k6 --k6 <path>`.
 */
export async function buildFakeK6(dir: string): Promise<string> {
  const out = join(dir, 'fake-k6.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'silent',
  });
  const bin = join(dir, 'k6');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${out}" "$@"\n`);
  chmodSync(bin, 0o755);
  return bin;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: tsx test/helpers/fake-k6/build.ts <dir>\n');
    process.exitCode = 2;
  } else process.stdout.write(`${await buildFakeK6(resolve(dir))}\n`);
}
