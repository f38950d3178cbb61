import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * Test data that lives outside this repository, in the `shared/` folder that CI places beside the checkout
 * (recorded k6 outputs, the meshes' published CRDs). A fresh clone has no such folder: the tests that need it
 * are then reported as skipped, with what is missing and where it was looked for in their names, never failed
 * and never silently dropped. With MESHBENCH_REQUIRE_SHARED=1 (set by .ci/run) a missing folder fails those
 * tests instead, so that CI cannot quietly run a smaller suite.
 */
export const SHARED_ROOT = resolve(fileURLToPath(new URL('../../../shared/', import.meta.url)));

const REQUIRED = process.env.MESHBENCH_REQUIRE_SHARED === '1';

export interface SharedData {
  /** Absolute path of the folder. */
  readonly path: string;
  readonly present: boolean;
  /** A path inside the folder. */
  file(...parts: string[]): string;
  /** `describe` when the folder is there; otherwise skipped (or failed under MESHBENCH_REQUIRE_SHARED=1). */
  describe(title: string, fn: () => void): void;
  /** `it` likewise, for a single test in a block that otherwise needs nothing from outside. */
  it(title: string, fn: () => unknown, timeout?: number): void;
}

export function sharedData(relative: string): SharedData {
  const path = join(SHARED_ROOT, relative);
  const present = existsSync(path);
  const missing = `SKIPPED: needs ${path}, not found; CI has it beside the checkout`;
  const fail = (): never => {
    throw new Error(
      `${path} is missing, and MESHBENCH_REQUIRE_SHARED=1 says it must be there: clone the project beside shared/`,
    );
  };
  return {
    path,
    present,
    file: (...parts) => join(path, ...parts),
    describe(title, fn) {
      if (present) describe(title, fn);
      else if (REQUIRED) describe(title, () => it(`needs ${path}`, fail));
      else describe.skip(`${title} (${missing})`, fn);
    },
    it(title, fn, timeout) {
      if (present) it(title, fn, timeout);
      else if (REQUIRED) it(`${title} (needs ${path})`, fail);
      else it.skip(`${title} (${missing})`, fn);
    },
  };
}

/** Real k6 v0.48 outputs (shared/fixtures/k6, see its README). */
export const k6Fixtures = sharedData('fixtures/k6');
