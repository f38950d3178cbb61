import { describe, expect, it } from 'vitest';
import { resolveSpecFromFlags } from '../../src/commands/spec-options.js';
import { UserError } from '../../src/errors.js';

describe('--quick and --repetitions', () => {
  it('--quick caps the default 10 repetitions at 3', async () => {
    expect((await resolveSpecFromFlags(undefined, {})).repetitions).toBe(10);
    const quick = await resolveSpecFromFlags(undefined, { quick: true });
    expect(quick.repetitions).toBe(3);
    expect(quick.tiers.map((t) => t.durationSec)).toEqual([2, 2, 2]);
  });

  it('an explicit --repetitions wins over the --quick cap, and is still validated', async () => {
    expect((await resolveSpecFromFlags(undefined, { quick: true, repetitions: '5' })).repetitions).toBe(5);
    const refused = await resolveSpecFromFlags(undefined, { quick: true, repetitions: '0' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).problems.join('\n')).toMatch(/^repetitions: /m);
  });
});
