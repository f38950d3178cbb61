#!/usr/bin/env node
/**
 * Builds meshbench's native parts (native/*.c: the builtin engine's load generator and the local app server)
 * into dist/native/ with the system C compiler. Run by `npm ci`/`npm install` (prepare) and before the tests.
 * A source newer than its binary is rebuilt; an up-to-date one is left alone.
 *
 * Without a C compiler this warns and exits 0: meshbench then falls back to its JavaScript engine core and app
 * server (slower and noisier; reports and `meshbench doctor` say which ran). `--strict` makes a missing
 * compiler or a failed build exit 1 instead, for CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'native');
const outDir = join(root, 'dist', 'native');
const strict = process.argv.includes('--strict');
const cc = process.env.CC || 'cc';

function compilerWorks() {
  return spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
}

const sources = readdirSync(srcDir).filter((f) => f.endsWith('.c'));
const headers = readdirSync(srcDir).filter((f) => f.endsWith('.h'));
/** A binary is stale when its .c or any header beside it is newer. */
const newestSource = (src) =>
  Math.max(statSync(src).mtimeMs, ...headers.map((h) => statSync(join(srcDir, h)).mtimeMs));
if (!compilerWorks()) {
  const msg = `meshbench: no C compiler (${cc}) found: the builtin engine and the local app server fall back to JavaScript (noisier figures). Install one (apt-get install gcc libc6-dev) and run \`npm run build:native\`.`;
  console.warn(msg);
  process.exit(strict ? 1 : 0);
}
mkdirSync(outDir, { recursive: true });
let failed = false;
for (const file of sources) {
  const name = file.replace(/\.c$/, '');
  const src = join(srcDir, file);
  const out = join(outDir, name);
  if (existsSync(out) && statSync(out).mtimeMs >= newestSource(src)) continue;
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    // -O2 and no exotic flags: any gcc or clang of the last decade builds these.
    execFileSync(cc, ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-o', tmp, src], { stdio: 'inherit' });
    renameSync(tmp, out);
  } catch {
    rmSync(tmp, { force: true });
    failed = true;
    console.warn(`meshbench: building ${file} failed; meshbench will use its JavaScript fallback for it.`);
  }
}
process.exit(failed && strict ? 1 : 0);
