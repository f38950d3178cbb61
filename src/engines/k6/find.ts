import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** How to get k6, for `meshbench doctor` and for the error when it is missing. */
export const K6_INSTALL_HINT = [
  'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/), then make sure `k6 version` works or pass --k6 <path>:',
  '  Debian/Ubuntu: sudo gpg -k && sudo gpg --no-default-keyring --keyring /usr/share/keyrings/k6-archive-keyring.gpg \\',
  '                   --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys C5AD17C747E3415A3642D57D77C6C491D6AC1D69',
  '                 echo "deb [signed-by=/usr/share/keyrings/k6-archive-keyring.gpg] https://dl.k6.io/deb stable main" \\',
  '                   | sudo tee /etc/apt/sources.list.d/k6.list && sudo apt-get update && sudo apt-get install k6',
  '  Fedora/CentOS: sudo dnf install https://dl.k6.io/rpm/repo.rpm && sudo dnf install k6',
  '  macOS:         brew install k6',
  '  Any OS:        a release binary from https://github.com/grafana/k6/releases',
  'Without k6, meshbench uses its builtin engine (--engine builtin).',
].join('\n');

/**
 * Oldest k6 the scenario runs on: constant-arrival-rate came in v0.27, handleSummary in v0.30 and
 * k6/execution (round robin over targets) in v0.34.
 */
export const MIN_K6_VERSION = '0.34.0';

/** 'k6 v0.48.0 (commit/47c0a26798, go1.19.8, linux/amd64)' -> '0.48.0'; k6 v1 prints 'k6 v1.0.0 (go1.24.1, ...)'. */
export function parseK6Version(output: string): string | undefined {
  const m = /\bk6 v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output);
  return m?.[1];
}

export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).slice(0, 3).map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function lookPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Runs `<path> version`: k6 answers in milliseconds; 15 s allows for a cold disk on a loaded machine. */
export function k6VersionOutput(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      ['version'],
      { timeout: 15_000, env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new Error(
              `\`${path} version\` failed: ${err.message.trim()}${stderr ? `: ${stderr.trim()}` : ''}`,
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

/**
 * Finds a k6 that runs: `k6Path` when given (a path, or a bare name looked up on PATH), else `k6` on PATH.
 * Null when there is none or it does not answer `k6 version` like k6.
 */
export async function findK6(k6Path?: string): Promise<{ path: string; version: string } | null> {
  const wanted = k6Path ?? 'k6';
  const path = wanted.includes('/')
    ? (await isExecutableFile(wanted))
      ? wanted
      : undefined
    : await lookPath(wanted);
  if (path === undefined) return null;
  try {
    const version = parseK6Version(await k6VersionOutput(path));
    return version === undefined ? null : { path, version };
  } catch {
    return null;
  }
}
