import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * native/early-wake.h (how early the native load generator and app server wake for a deadline), compiled into
 * a small C harness that prints the margin after known sequences of wake-up lateness.
 */
const HARNESS = fileURLToPath(new URL('../native/early-wake-test.c', import.meta.url));
const CC = process.env.CC ?? 'cc';
const haveCc = spawnSync(CC, ['--version'], { stdio: 'ignore' }).status === 0;
const required = process.env.MESHBENCH_REQUIRE_NATIVE === '1';
const title = `early-wake margin${haveCc || required ? '' : ` (SKIPPED: no C compiler (${CC}); apt-get install gcc)`}`;

describe.skipIf(!haveCc && !required)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-early-wake-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('learns the 75th percentile of the last 32 wake-ups plus 15 us, between 20 and 250 us', () => {
    const bin = join(dir, 'early-wake-test');
    execFileSync(CC, ['-O2', '-std=gnu11', '-Wall', '-Werror', '-o', bin, HARNESS]);
    const out = Object.fromEntries(
      execFileSync(bin, { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([k, v]) => [k, Number(v) / 1000]),
    );
    expect(out).toEqual({
      initial: 50,
      steady10us: 25,
      mixed: 40,
      floor: 20,
      cap: 250,
      'rare-stalls': 25,
      forgets: 25,
    });
  });
});
