import { readFileSync } from 'node:fs';

/** meshbench's own version, from package.json (recorded in results.json). */
export const MESHBENCH_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
