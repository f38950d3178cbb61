import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { getMode } from '../../modes/registry.js';
import type { ResolvedSpec } from '../../spec/schema.js';
import { planTopology } from './topology-plan.js';

/** A UNIX socket path is limited to 108 bytes including the NUL (sun_path, unix(7)). */
export const MAX_SOCKET_PATH_BYTES = 107;

/** Where a proxy's HAProxy stats socket lives in the run directory. */
export function statsSocketPath(runDir: string, mode: string, proxyId: string): string {
  return join(runDir, mode, `${proxyId}.sock`);
}

/**
 * The longest stats socket path the spec's modes will need under `runDir`, checked before anything starts:
 * otherwise a long TMPDIR is only found once baseline's processes are up and the first proxy cannot bind.
 */
export function assertSocketPathsFit(runDir: string, spec: ResolvedSpec): void {
  let longest = '';
  for (const name of spec.modes) {
    const plan = planTopology(getMode(name), { replicas: spec.app.replicas, nodes: spec.local.nodes });
    for (const p of plan.proxies) {
      const s = statsSocketPath(runDir, name, p.id);
      if (Buffer.byteLength(s) > Buffer.byteLength(longest)) longest = s;
    }
  }
  const bytes = Buffer.byteLength(longest);
  if (bytes > MAX_SOCKET_PATH_BYTES)
    throw new UserError(
      `the run directory's path is too long for the proxies' UNIX sockets: ${longest} is ${bytes} bytes, the limit is ${MAX_SOCKET_PATH_BYTES}`,
      [],
      `set TMPDIR to a shorter directory (e.g. TMPDIR=/tmp), at most ${MAX_SOCKET_PATH_BYTES - (bytes - Buffer.byteLength(runDir))} bytes for the run directory`,
    );
}
