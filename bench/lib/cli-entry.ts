/**
 * How a bench launches the meshbench CLI: the compiled dist/cli.js when it is there and not older than the
 * sources (what a user runs after `npm ci`), otherwise src/cli.ts through tsx, which adds its own start-up and
 * compiles every worker's modules on load. The choice is reported next to the figures.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliEntry {
  kind: 'dist' | 'tsx';
  argv: string[];
  /** Why this entry was chosen, e.g. "dist/cli.js is older than src/spec/defaults.ts". */
  why: string;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The first source file whose compiled twin in dist/ is missing or older, if any. */
export function staleSource(root = REPO_ROOT): string | undefined {
  for (const ts of tsFiles(join(root, 'src'))) {
    const compiled = join(root, 'dist', relative(join(root, 'src'), ts)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(ts).mtimeMs) return relative(root, ts);
  }
  return undefined;
}

export function cliEntry(prefer: 'auto' | 'dist' | 'tsx' = 'auto'): CliEntry {
  const dist = join(REPO_ROOT, 'dist', 'cli.js');
  const tsx: CliEntry = {
    kind: 'tsx',
    argv: [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts')],
    why: '',
  };
  if (prefer === 'tsx') return { ...tsx, why: 'asked for (--cli tsx)' };
  if (!existsSync(dist)) {
    if (prefer === 'dist') throw new Error('dist/cli.js is missing: run npm run build');
    return { ...tsx, why: 'dist/cli.js is missing (npm run build)' };
  }
  const d: CliEntry = { kind: 'dist', argv: [process.execPath, dist], why: '' };
  if (prefer === 'dist') return { ...d, why: 'asked for (--cli dist)' };
  const stale = staleSource();
  return stale
    ? { ...tsx, why: `dist/ is older than ${stale} (npm run build)` }
    : { ...d, why: 'dist/ is up to date' };
}
