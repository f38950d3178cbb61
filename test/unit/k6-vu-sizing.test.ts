import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWarmupChanges, fitSpecToK6 } from '../../src/engines/k6/scenario-limits.js';
import { parseK6Summary } from '../../src/engines/k6/summary.js';
import { describeVuSizing, k6VuSizing } from '../../src/engines/k6/vu-sizing.js';
import { UserError } from '../../src/errors.js';
import { DEFAULT_SPEC, DEFAULT_TIERS, quickPreset } from '../../src/spec/defaults.js';
import type { Tier } from '../../src/spec/schema.js';
import { tierDefaults } from '../../src/spec/tier-defaults.js';
import { k6Fixtures } from '../helpers/shared-data.js';

const tier = (over: Partial<Tier>): Tier => ({ ...DEFAULT_TIERS[1]!, ...over });

describe('k6VuSizing: pre-allocate rate x latency budget, at least connections, at most maxInFlight', () => {
  it.each([
    // name, tier, options, pre, max, limitedBy
    ['low (50 RPS)', DEFAULT_TIERS[0]!, {}, 5, 256, 'latency-budget'],
    ['medium (500 RPS)', DEFAULT_TIERS[1]!, {}, 50, 512, 'latency-budget'],
    ['high (2000 RPS)', DEFAULT_TIERS[2]!, {}, 200, 1024, 'latency-budget'],
    ['connections above the budget', tier({ rps: 100, connections: 32 }), {}, 32, 512, 'connections'],
    ['capped by maxInFlight', tier({ rps: 5000, maxInFlight: 300 }), {}, 300, 300, 'max-in-flight'],
    [
      'app delay 50 ms: 1000 RPS x 150 ms',
      tier({ rps: 1000, maxInFlight: 1000 }),
      { appDelayMs: 50 },
      150,
      1000,
      'latency-budget',
    ],
    ['0.5 RPS still gets one VU', tier({ rps: 0.5, connections: 1 }), {}, 1, 512, 'latency-budget'],
    [
      'maxInFlight below connections: k6 needs maxVUs >= preAllocatedVUs',
      tier({ rps: 10, connections: 32, maxInFlight: 8 }),
      {},
      32,
      32,
      'connections',
    ],
    [
      '3 pods: both rounded up to equal shares',
      tier({ rps: 1000, maxInFlight: 1000 }),
      { parallelism: 3 },
      102,
      1002,
      'latency-budget',
    ],
    [
      '4 pods, 5 VUs: no pod gets none',
      tier({ rps: 50, connections: 4, maxInFlight: 6 }),
      { parallelism: 4 },
      8,
      8,
      'latency-budget',
    ],
  ] as const)('%s', (_name, t, o, pre, max, limitedBy) => {
    const s = k6VuSizing(t, o);
    expect(s.preAllocatedVUs).toBe(pre);
    expect(s.maxVUs).toBe(max);
    expect(s.limitedBy).toBe(limitedBy);
    expect(s.maxVUs).toBeGreaterThanOrEqual(s.preAllocatedVUs);
    expect(s.latencyBudgetMs).toBe(100 + (('appDelayMs' in o ? o.appDelayMs : 0) ?? 0));
  });

  it('says where the number comes from', () => {
    const t = tier({ rps: 1000, maxInFlight: 1000 });
    expect(describeVuSizing(t, k6VuSizing(t))).toBe('100 (1000 RPS x 100 ms latency budget)');
    const c = tier({ rps: 100, connections: 32 });
    expect(describeVuSizing(c, k6VuSizing(c))).toMatch(/^32 \(the tier's connections/);
  });
});

/**
 * The recorded 1000 RPS runs against nginx (shared/fixtures/k6/vu-starved-1000rps): 17 pre-allocated VUs dropped 21
 * arrivals while k6 started VUs mid-test; 100 dropped none. A VU holds one request at a time, so the VUs busy at once
 * reach rate x the slowest iteration: the yardstick below is each run's own iteration_duration max from its summary.
 */
k6Fixtures.describe('VU sizing against the recorded 1000 RPS runs', () => {
  const run = (suffix: string) => {
    const dir = 'vu-starved-1000rps';
    const text = readFileSync(k6Fixtures.file(dir, `summary-export${suffix}.json`), 'utf8');
    const script = readFileSync(k6Fixtures.file(dir, `script${suffix}.js`), 'utf8');
    const pre = Number(/preAllocatedVUs: (\d+)/.exec(script)?.[1]);
    const metrics = (JSON.parse(text) as { metrics: Record<string, Record<string, number>> }).metrics;
    return {
      pre,
      summary: parseK6Summary(text),
      worstIterationMs: metrics['iteration_duration']?.['max'] ?? NaN,
      rate: Number(/rate: (\d+)/.exec(script)?.[1]),
    };
  };
  // Read inside the tests, not here: a skipped block's body still runs when vitest collects it.
  const starvedRun = () => run('');
  const enoughRun = () => run('-100-vus');

  it('17 VUs did not cover rate x the slowest iteration, and k6 dropped arrivals and started VUs mid-test', () => {
    const starved = starvedRun();
    expect(starved.pre).toBe(17);
    expect(starved.rate).toBe(1000);
    expect(starved.pre).toBeLessThan((starved.rate * starved.worstIterationMs) / 1000);
    expect(starved.summary.droppedIterations).toBe(21);
    expect(starved.summary.vusMax).toBe(21);
  });

  it("100 VUs covered it and dropped nothing; meshbench's sizing for that tier is at least those 100", () => {
    const enough = enoughRun();
    expect(enough.pre).toBe(100);
    expect(enough.pre).toBeGreaterThanOrEqual((enough.rate * enough.worstIterationMs) / 1000);
    expect(enough.summary.droppedIterations).toBe(0);
    expect(enough.summary.vusMax).toBe(100);
    // The tier the issue ran: 1000 RPS, settings from tierDefaults (17 connections, what the old code pre-allocated).
    const t = { ...(tierDefaults('t1000', 1000) as Tier), name: 't1000', rps: 1000 };
    expect(t.connections).toBe(17);
    const s = k6VuSizing(t);
    expect(s.preAllocatedVUs).toBeGreaterThanOrEqual(enough.pre);
    // ... and it covers the slowest iteration of both recorded runs.
    for (const r of [starvedRun(), enough])
      expect(s.preAllocatedVUs).toBeGreaterThanOrEqual((r.rate * r.worstIterationMs) / 1000);
  });
});

describe('fitSpecToK6: refuse what k6 would refuse, lengthen short warm-ups', () => {
  it('--quick: warm-ups of 0.5 s become 1 s for k6, the 1 s one and the measure windows stay', () => {
    const quick = quickPreset(DEFAULT_SPEC);
    const { spec, warmups } = fitSpecToK6(quick);
    expect(spec.tiers.map((t) => [t.name, t.warmupSec, t.durationSec])).toEqual([
      ['low', 1, 2],
      ['medium', 1, 2],
      ['high', 1, 2],
    ]);
    expect(warmups).toEqual([
      { tier: 'low', fromSec: 0.5, toSec: 1 },
      { tier: 'medium', fromSec: 0.5, toSec: 1 },
    ]);
    expect(describeWarmupChanges(warmups)).toMatch(/low 0\.5 s -> 1 s, medium 0\.5 s -> 1 s/);
    // The builtin engine's quick preset is untouched.
    expect(quick.tiers.map((t) => t.warmupSec)).toEqual([0.5, 0.5, 1]);
  });

  it('leaves a spec k6 accepts as it is, a zero warm-up included', () => {
    const input = { ...DEFAULT_SPEC, tiers: [{ ...DEFAULT_TIERS[0]!, warmupSec: 0 }] };
    const out = fitSpecToK6(input);
    expect(out.spec).toBe(input);
    expect(out.warmups).toEqual([]);
    expect(describeWarmupChanges([])).toBeUndefined();
  });

  it('refuses a measure window under 1 s with exit 2, naming every such tier and the fix', () => {
    const input = {
      ...DEFAULT_SPEC,
      tiers: [
        { ...DEFAULT_TIERS[0]!, durationSec: 0.5 },
        DEFAULT_TIERS[1]!,
        { ...DEFAULT_TIERS[2]!, durationSec: 0.9994 },
      ],
    };
    const err = (() => {
      try {
        fitSpecToK6(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UserError);
    const u = err as UserError;
    expect(u.problems).toEqual([
      'tiers[0].durationSec (tier low): 0.5 s is shorter than the 1 s k6 accepts for a scenario (k6 would exit 104 in every cell)',
      'tiers[2].durationSec (tier high): 0.9994 s is shorter than the 1 s k6 accepts for a scenario (k6 would exit 104 in every cell)',
    ]);
    expect(u.fix).toMatch(/--engine builtin/);
    expect(() => fitSpecToK6({ ...input, platform: 'kubernetes' })).toThrow(UserError);
    try {
      fitSpecToK6({ ...input, platform: 'kubernetes' });
    } catch (e) {
      expect((e as UserError).fix).toMatch(/always runs as k6/);
    }
  });
});
