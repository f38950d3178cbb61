import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, quickPreset } from '../../src/spec/defaults.js';
import { resolveSpec } from '../../src/spec/validate.js';
import { UserError } from '../../src/errors.js';

function problemsOf(input: unknown): string[] {
  try {
    resolveSpec(input, 'spec test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).problems;
  }
  throw new Error('expected the spec to be rejected');
}

describe('resolveSpec', () => {
  it('resolves no input to the embedded default: 5 modes x 3 tiers x 10 repetitions of 2 s after 1 s warm-up', () => {
    const s = resolveSpec(undefined);
    expect(s.modes).toEqual(['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh']);
    expect(s.tiers.map((t) => [t.name, t.rps])).toEqual([
      ['low', 50],
      ['medium', 500],
      ['high', 2000],
    ]);
    expect(s.repetitions).toBe(10);
    expect(s.tiers.map((t) => [t.durationSec, t.warmupSec])).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    expect(s.app.delayMs).toBe(0);
    expect(s.prices).toEqual({ vcpuHourUsd: 0.031611, gibHourUsd: 0.004237, hoursPerMonth: 730 });
  });

  it('fills a partially written tier from the default tier of the same name, or from its rate', () => {
    const s = resolveSpec({
      tiers: [
        { name: 'medium', durationSec: 3 },
        { name: 'burst', rps: 6000 },
      ],
    });
    expect(s.tiers[0]).toMatchObject({ name: 'medium', rps: 500, durationSec: 3, connections: 16 });
    expect(s.tiers[1]).toMatchObject({ name: 'burst', rps: 6000, connections: 100, maxInFlight: 6000 });
  });

  it('deep-merges nested settings instead of replacing them', () => {
    const s = resolveSpec({ app: { delayMs: 5 } });
    expect(s.app).toEqual({ replicas: 2, delayMs: 5 });
  });

  const bad: [string, unknown, RegExp][] = [
    ['wrong type', { repetitions: 'three' }, /^repetitions: expected number, got string$/],
    [
      'unknown mode',
      { modes: ['baseline', 'linkerd2'] },
      /^modes\[1\]: 'linkerd2' is not one of 'baseline', 'istio-sidecar'/,
    ],
    [
      'negative rate',
      { tiers: [{ name: 'low', rps: -5 }] },
      /^tiers\[0\]\.rps: Number must be greater than 0$/,
    ],
    ['unknown field', { tiers: [{ name: 'low', rsp: 10 }] }, /^tiers\[0\]: unknown field 'rsp'/],
    ['unknown top-level field', { repetitons: 2 }, /^\(spec\): unknown field 'repetitons'/],
    ['duplicate mode', { modes: ['baseline', 'baseline'] }, /^modes: each mode may be listed once$/],
    [
      'duplicate tier',
      {
        tiers: [
          { name: 'a', rps: 1 },
          { name: 'a', rps: 2 },
        ],
      },
      /^tiers: tier names must be unique$/,
    ],
    [
      'fractional connections',
      { tiers: [{ name: 'low', connections: 1.5 }] },
      /^tiers\[0\]\.connections: expected integer, got float$/,
    ],
    ['zero replicas', { app: { replicas: 0 } }, /^app\.replicas: Number must be greater than or equal to 1$/],
    [
      'unsupported protocol',
      { tiers: [{ name: 'low', protocol: 'h3' }] },
      /^tiers\[0\]\.protocol: 'h3' is not one of 'http\/1.1', 'h2c', 'grpc'$/,
    ],
    ['not an object', ['baseline'], /^\(spec\): expected object, got array$/],
  ];
  it.each(bad)('rejects %s with the field path', (_name, input, message) => {
    const problems = problemsOf(input);
    expect(
      problems.some((p) => message.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf({
      repetitions: 0,
      modes: ['nope'],
      tiers: [{ name: 'low', rps: -1, warmupSec: -1 }],
    });
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });
});

describe('quickPreset', () => {
  it('keeps the whole matrix but shortens every cell to 2 s measure after 0.5 s warm-up (1.5 s from 1000 RPS), at most 3 repetitions', () => {
    const q = quickPreset(DEFAULT_SPEC);
    expect(q.modes).toHaveLength(5);
    expect(DEFAULT_SPEC.repetitions).toBe(10);
    expect(q.repetitions).toBe(3);
    expect(quickPreset({ ...DEFAULT_SPEC, repetitions: 2 }).repetitions).toBe(2);
    expect(q.tiers.map((t) => [t.durationSec, t.warmupSec])).toEqual([
      [2, 0.5],
      [2, 0.5],
      [2, 1], // the default's own 1 s: quick never lengthens a warm-up
    ]);
    expect(q.tiers.map((t) => t.rps)).toEqual([50, 500, 2000]);
    const longWarmups = quickPreset({
      ...DEFAULT_SPEC,
      tiers: DEFAULT_SPEC.tiers.map((t) => ({ ...t, warmupSec: 3 })),
    });
    expect(longWarmups.tiers.map((t) => t.warmupSec)).toEqual([0.5, 0.5, 1.5]);
  });
});
