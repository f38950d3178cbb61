#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write(
    'meshbench: dist/cli.js is missing. Build it first: npm run build (npm ci does it too).\n',
  );
  process.exit(2);
}
const { main, exitAfterFlush } = await import(cli.href);
await exitAfterFlush(await main(process.argv.slice(2)));
