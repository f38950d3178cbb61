import { describe, it } from 'vitest';
import { createBuiltinEngine, type EngineCore } from '../../src/engines/builtin/index.js';
import type { Engine } from '../../src/engines/engine.js';
import { nativeStatus, type NativePart } from '../../src/runtime/native-binary.js';

/**
 * Runs a block of engine tests once per core of the builtin engine: the native generator (native/loadgen.c,
 * built by `npm run build:native`) and the JavaScript fallback. Where the native part is not built, its block
 * is reported as skipped with the reason in its name; with MESHBENCH_REQUIRE_NATIVE=1 (set by .ci/run) it
 * fails instead, so that CI cannot quietly test only the fallback.
 */
export function describeNative(part: NativePart, title: string, fn: () => void): void {
  const status = nativeStatus(part);
  if (status.path) describe(title, fn);
  else if (process.env.MESHBENCH_REQUIRE_NATIVE === '1')
    describe(title, () =>
      it(`needs the native ${part}`, () => {
        throw new Error(`${status.problem}, and MESHBENCH_REQUIRE_NATIVE=1 says it must be built`);
      }),
    );
  else describe.skip(`${title} (SKIPPED: ${status.problem}; run npm run build:native)`, fn);
}

export function describeEachCore(title: string, fn: (engine: () => Engine, core: EngineCore) => void): void {
  describeNative('loadgen', `${title} [native core]`, () =>
    fn(() => createBuiltinEngine({ core: 'native' }), 'native'),
  );
  describe(`${title} [JavaScript core]`, () => fn(() => createBuiltinEngine({ core: 'js' }), 'js'));
}
