import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * meshbench's native parts (native/*.c), built into dist/native/ at install (scripts/build-native.mjs). Both
 * this file's source (src/runtime) and its compiled form (dist/runtime) sit two levels below the package root,
 * so the binaries are found the same way from sources (vitest, tsx) and from dist.
 */
export const NATIVE_PARTS = {
  loadgen: "the builtin engine's load generator (native/loadgen.c)",
  'app-server': 'the local app server (native/app-server.c)',
} as const;
export type NativePart = keyof typeof NATIVE_PARTS;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const NATIVE_BUILD_FIX =
  'install a C compiler (apt-get install gcc libc6-dev) and run `npm run build:native` in the meshbench directory';

export interface NativeStatus {
  part: NativePart;
  /** The executable, when it is built and at least as new as its source. */
  path?: string;
  /** Why it is not usable, when it is not. */
  problem?: string;
}

/** Whether a native part is built and runnable; a binary older than its source counts as missing. */
export function nativeStatus(part: NativePart, root: string = ROOT): NativeStatus {
  const bin = join(root, 'dist', 'native', part);
  const src = join(root, 'native', `${part}.c`);
  if (!existsSync(bin)) return { part, problem: `${bin} is not built` };
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    return { part, problem: `${bin} is not executable` };
  }
  const dir = join(root, 'native');
  const sources = existsSync(src)
    ? [
        src,
        ...readdirSync(dir)
          .filter((f) => f.endsWith('.h'))
          .map((h) => join(dir, h)),
      ]
    : [];
  const stale = sources.find((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs);
  if (stale) return { part, problem: `${bin} is older than ${stale}` };
  return { part, path: bin };
}

/** The executable of a native part, or undefined when meshbench must use its JavaScript fallback. */
export function nativeBinary(part: NativePart): string | undefined {
  return nativeStatus(part).path;
}
