import { describe, expect, it } from 'vitest';
import { applyThresholdFlags } from '../../src/compare/threshold-flags.js';
import { defaultThresholds, thresholdsSchema } from '../../src/compare/thresholds.js';
import { thrownUserError } from '../helpers/user-error.js';
import { parseResults } from '../../src/results/read.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { resolveSpec } from '../../src/spec/validate.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

describe('thresholds in the spec', () => {
  it('defaults to the documented values when the spec says nothing', () => {
    const spec = resolveSpec({});
    expect(spec.thresholds).toEqual(defaultThresholds());
    expect(spec.thresholds.addedP99).toEqual({ relative: 0.1, absolute: 0.2 });
    expect(spec.thresholds.confidence).toBe(0.95);
    expect(DEFAULT_SPEC.thresholds).toEqual(defaultThresholds());
  });

  it('keeps the other defaults when a spec sets one field of one metric', () => {
    const spec = resolveSpec({ thresholds: { addedP99: { relative: 0.05 } } });
    expect(spec.thresholds.addedP99).toEqual({ relative: 0.05, absolute: 0.2 });
    expect(spec.thresholds.latencyP50).toEqual(defaultThresholds().latencyP50);
  });

  it('rejects unknown fields and negative values with the field path', () => {
    const e = thrownUserError(() =>
      resolveSpec({ thresholds: { addedP99: { relativ: 0.05 }, errorRate: { absolute: -1 } } }),
    );
    expect(e.problems.join('\n')).toMatch(/thresholds\.addedP99: unknown field 'relativ'/);
    expect(e.problems.join('\n')).toMatch(/thresholds\.errorRate\.absolute/);
  });

  it('fills the defaults into a results file written before thresholds existed', () => {
    const r = syntheticResults({ modes: ['baseline'], tiers: [{ name: 'low' }], repetitions: 1 });
    const old = JSON.parse(JSON.stringify(r)) as { spec: Record<string, unknown> };
    delete old.spec.thresholds;
    expect(parseResults(old, 'old.json').spec.thresholds).toEqual(defaultThresholds());
  });
});

describe('--threshold and --confidence flags', () => {
  const base = defaultThresholds();

  it('override one field, in percent or as a fraction, and leave the rest', () => {
    const t = applyThresholdFlags(
      base,
      ['addedP99.relative=5%', 'addedP99.absolute=0.3', 'errorRate.relative=0.25'],
      '0.99',
    );
    expect(t.addedP99).toEqual({ relative: 0.05, absolute: 0.3 });
    expect(t.errorRate.relative).toBe(0.25);
    expect(t.confidence).toBe(0.99);
    expect(t.latencyP99).toEqual(base.latencyP99);
    expect(base.addedP99.relative).toBe(0.1); // the input is not modified
  });

  it('list every bad flag in one error', () => {
    const e = thrownUserError(() =>
      applyThresholdFlags(base, [
        'p99=1',
        'addedP98.relative=1',
        'addedP99.relatively=1',
        'addedP99.absolute=abc',
      ]),
    );
    expect(e.problems).toHaveLength(4);
    expect(e.problems[1]).toMatch(/unknown metric 'addedP98' \(one of latencyP50,/);
  });

  it('validate the result like the spec (confidence in (0.5, 1), no negatives)', () => {
    expect(thrownUserError(() => applyThresholdFlags(base, [], '1.5')).problems[0]).toMatch(
      /thresholds\.confidence/,
    );
    expect(thrownUserError(() => applyThresholdFlags(base, ['proxyMemory.absolute=-1'])).problems[0]).toMatch(
      /thresholds\.proxyMemory\.absolute/,
    );
  });

  it('the schema itself is strict at the top level', () => {
    expect(thresholdsSchema.safeParse({ p99: {} }).success).toBe(false);
  });
});
