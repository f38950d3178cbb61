import { UserError } from '../../errors.js';
import { haproxyVersion, opensslVersion } from './versions.js';

/** The sentence every report of a local run prints (DESIGN.md: "say what was measured"). */
export function LOCAL_EMULATION_NOTE(version: string): string {
  return `A local run emulates each mode's proxy topology with HAProxy ${version} on loopback (127.0.0.1); it is not a measurement of Envoy or ztunnel.`;
}

/** HAProxy's version, or a UserError naming the fix when `bin` cannot be run. */
export async function requireHaproxy(bin: string): Promise<string> {
  const v = await haproxyVersion(bin);
  if (v === null)
    throw new UserError(
      `HAProxy not found: "${bin}" (spec field local.haproxy) cannot be run`,
      ['the local platform emulates every mesh mode with HAProxy processes'],
      'install it (apt-get install -y haproxy, or brew install haproxy on macOS), or set local.haproxy in the spec to the path of an haproxy binary',
    );
  return v;
}

export async function requireOpenssl(): Promise<string> {
  const v = await opensslVersion();
  if (v === null)
    throw new UserError(
      'openssl not found on PATH',
      ['the local platform makes the certificates of modes with mTLS between proxies with the openssl CLI'],
      'install it (apt-get install -y openssl, or brew install openssl on macOS)',
    );
  return v;
}
