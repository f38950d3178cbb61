import { execFile } from 'node:child_process';

/** Runs a command and returns its combined stdout+stderr, or null when it cannot be run at all. */
function outputOf(bin: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      const text = `${stdout}\n${stderr}`;
      // `haproxy -v` exits 0; a missing binary gives ENOENT (string code) and no output.
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return resolve(null);
      resolve(text);
    });
  });
}

/** "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - ..." (2.x) or "HA-Proxy version 1.8.x" -> "2.6.12-1+deb12u4". */
export function parseHaproxyVersion(text: string): string | null {
  const m = /HA-?Proxy version (\S+)/i.exec(text);
  return m?.[1] ?? null;
}

/** "OpenSSL 3.0.19 27 Jan 2026 (Library: ...)" -> "OpenSSL 3.0.19"; LibreSSL likewise. */
export function parseOpensslVersion(text: string): string | null {
  const m = /\b(OpenSSL|LibreSSL)\s+(\S+)/.exec(text);
  return m ? `${m[1]} ${m[2]}` : null;
}

/** HAProxy's version (e.g. "2.6.12-1+deb12u4"), or null when `bin` is missing or is not HAProxy. */
export async function haproxyVersion(bin: string): Promise<string | null> {
  const out = await outputOf(bin, ['-v']);
  return out === null ? null : parseHaproxyVersion(out);
}

/** The openssl CLI's product and version (e.g. "OpenSSL 3.0.19"), or null when it is not on PATH. */
export async function opensslVersion(): Promise<string | null> {
  const out = await outputOf('openssl', ['version']);
  return out === null ? null : parseOpensslVersion(out);
}
