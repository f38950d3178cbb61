import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { compareAnalyses, compareRuns } from '../../src/compare/compare.js';
import { defaultThresholds, THRESHOLD_KEYS, type Thresholds } from '../../src/compare/thresholds.js';
import type { Comparison, MetricComparison, MetricId } from '../../src/compare/types.js';
import type { ModeName } from '../../src/modes/mode.js';
import { deriveSeed, mulberry32, randomNormal } from '../../src/stats/prng.js';
import { syntheticResults, type CellKey, type SyntheticOptions } from '../helpers/synthetic-results.js';

const FAST = { bootstrapIterations: 200 };

function row(c: Comparison, mode: ModeName, metric: MetricId, tier = 'low'): MetricComparison {
  const r = c.metrics.find((m) => m.mode === mode && m.metric === metric && m.tier === tier);
  if (!r) throw new Error(`no row ${mode} ${metric} ${tier}`);
  return r;
}

const regressions = (c: Comparison) =>
  c.metrics.filter((m) => m.verdict === 'regression').map((m) => `${m.mode} ${m.metric}`);

/**
 * A run with repetition-to-repetition drift, as real runs have: every repetition's latency median and proxy
 * usage is scaled by (1 + drift x N(0,1)), drawn per (seed, mode, repetition); within a repetition latency is
 * lognormal (sigma 0.3, a realistic tail). `factor(mode)` scales a mode's latency and proxy usage.
 */
function noisyRun(
  seed: number,
  drift: number,
  factor: (mode: ModeName) => number = () => 1,
  extra: SyntheticOptions = {},
) {
  const d = (c: CellKey, what: string) =>
    1 + drift * randomNormal(mulberry32(deriveSeed(seed, what, c.mode, c.tier, String(c.repetition))));
  return syntheticResults({
    seed,
    modes: ['baseline', 'istio-sidecar'],
    tiers: [{ name: 'low' }],
    repetitions: 3,
    latency: (c) => ({
      kind: 'lognormal',
      medianUs: (c.mode === 'baseline' ? 1000 : 1300) * factor(c.mode) * d(c, 'latency'),
      sigma: 0.3,
      count: 300,
    }),
    proxyLoad: (_p, c) => ({
      cpuMillicores: 50 * factor(c.mode) * d(c, 'cpu'),
      memMiB: 40 * factor(c.mode) * d(c, 'mem'),
      jitter: 0.05,
    }),
    ...extra,
  });
}

describe('compareRuns finds regressions', () => {
  it('a mode whose proxy adds 0.5 ms: latency added and its absolute latency regress, baseline does not', () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }] });
    const b = syntheticResults({
      seed: 2,
      tiers: [{ name: 'low' }],
      latency: (c) => ({
        kind: 'normal',
        meanUs: { baseline: 1000, 'istio-sidecar': 1750, 'istio-ambient': 1500 }[c.mode as 'baseline'],
        sdUs: 20,
        count: 1000,
      }),
    });
    const c = compareRuns(a, b, { analysis: FAST });
    expect(c.verdict).toBe('regression');
    for (const m of ['added-p50', 'added-p99', 'latency-p50', 'latency-p99'] as const) {
      const r = row(c, 'istio-sidecar', m);
      expect(r.verdict, m).toBe('regression');
      expect(r.change).toBeCloseTo(0.5, 1);
      expect(r.interval?.low).toBeGreaterThan(0.4);
    }
    // p99.9's default absolute threshold is 0.5 ms: a 0.5 ms move is AT it, not over it.
    expect(row(c, 'istio-sidecar', 'added-p999').verdict).toBe('unchanged');
    expect(regressions(c).filter((r) => !r.startsWith('istio-sidecar'))).toEqual([]);
  });

  it("the candidate's app adds 2 ms: every mode's absolute latency regresses while latency added does not move", () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }] });
    const b = syntheticResults({
      seed: 2,
      tiers: [{ name: 'low' }],
      latency: (c) => ({
        kind: 'normal',
        meanUs: 3000 + 250 * ['baseline', 'istio-sidecar', 'istio-ambient'].indexOf(c.mode),
        sdUs: 20,
        count: 1000,
      }),
    });
    const c = compareRuns(a, b, { analysis: FAST });
    for (const mode of ['baseline', 'istio-sidecar', 'istio-ambient'] as const) {
      expect(row(c, mode, 'latency-p50').verdict).toBe('regression');
      expect(row(c, mode, 'latency-p99').verdict).toBe('regression');
    }
    expect(c.metrics.filter((m) => m.metric.startsWith('added-') && m.verdict !== 'unchanged')).toEqual([]);
  });

  it('proxy CPU +40%: CPU per 1000 RPS and cost per pod regress; memory does not', () => {
    const cpu = (k: number) => (p: { role: string }) => ({
      cpuMillicores: (p.role === 'node-proxy' ? 30 : 50) * k,
      memMiB: 40,
      jitter: 0.02,
    });
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }], proxyLoad: cpu(1) });
    const b = syntheticResults({ seed: 2, tiers: [{ name: 'low' }], proxyLoad: cpu(1.4) });
    const c = compareRuns(a, b, { analysis: FAST });
    expect(row(c, 'istio-sidecar', 'proxy-cpu-per-1000rps').verdict).toBe('regression');
    expect(row(c, 'istio-sidecar', 'proxy-cpu-per-1000rps').relativeChange).toBeCloseTo(0.4, 1);
    expect(row(c, 'istio-sidecar', 'cost-per-pod').verdict).toBe('regression');
    expect(row(c, 'istio-sidecar', 'proxy-memory').verdict).toBe('unchanged');
  });

  it('errors appear: the error rate regresses, from 0 to 2%', () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }] });
    const b = syntheticResults({
      seed: 2,
      tiers: [{ name: 'low' }],
      cell: (k) => (k.mode === 'istio-ambient' ? { errors: 20 } : {}),
    });
    const c = compareRuns(a, b, { analysis: FAST });
    const r = row(c, 'istio-ambient', 'error-rate');
    expect(r.verdict).toBe('regression');
    expect(r.candidate).toBeCloseTo(0.02, 10);
    expect(r.relativeChange).toBeNull(); // from 0
  });

  it('a faster candidate is an improvement and exits clean', () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }] });
    const b = syntheticResults({
      seed: 2,
      tiers: [{ name: 'low' }],
      latency: (c) => ({
        kind: 'normal',
        meanUs:
          c.mode === 'istio-ambient' ? 1100 : 1000 + 250 * ['baseline', 'istio-sidecar'].indexOf(c.mode),
        sdUs: 20,
        count: 1000,
      }),
    });
    const c = compareRuns(a, b, { analysis: FAST });
    expect(row(c, 'istio-ambient', 'added-p50').verdict).toBe('improvement');
    expect(c.summary.regressions).toBe(0);
    expect(c.verdict).toBe('improvement');
  });

  it('a single repetition judges nothing and says why', () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }], repetitions: 1 });
    const b = syntheticResults({
      seed: 2,
      tiers: [{ name: 'low' }],
      repetitions: 1,
      latency: { kind: 'constant', valueUs: 9000, count: 100 },
    });
    const c = compareRuns(a, b, { analysis: FAST });
    expect(c.summary.notJudged).toBe(c.summary.total);
    expect(c.summary.regressions).toBe(0);
    expect(c.metrics.every((m) => m.reason === 'no-interval')).toBe(true);
    expect(c.warnings.join('\n')).toMatch(/single repetition/);
  });

  it('uses the candidate spec thresholds unless told otherwise', () => {
    const a = syntheticResults({ seed: 1, tiers: [{ name: 'low' }] });
    const b = syntheticResults({
      seed: 2,
      tiers: [{ name: 'low' }],
      latency: (c) => ({
        kind: 'normal',
        meanUs:
          c.mode === 'istio-sidecar'
            ? 1400
            : 1000 + 250 * ['baseline', 'istio-sidecar', 'istio-ambient'].indexOf(c.mode),
        sdUs: 20,
        count: 1000,
      }),
    });
    // +0.15 ms on p50: over the default 0.1 ms, under a spec's 0.2 ms.
    expect(row(compareRuns(a, b, { analysis: FAST }), 'istio-sidecar', 'latency-p50').verdict).toBe(
      'regression',
    );
    b.spec.thresholds.latencyP50.absolute = 0.2;
    b.spec.thresholds.addedP50.absolute = 0.2;
    const strict = compareRuns(a, b, { analysis: FAST });
    expect(row(strict, 'istio-sidecar', 'latency-p50').reason).toBe('below-threshold');
    expect(strict.thresholds.latencyP50.absolute).toBe(0.2);
  });
});

describe('two runs of the same spec are not called a regression', () => {
  const zero: Thresholds = {
    ...defaultThresholds(),
    ...Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, { relative: 0, absolute: 0 }])),
  };

  /**
   * 200 pairs of runs drawn from the same distribution, with 10% repetition-to-repetition drift (a noisy
   * shared host: the drift alone moves p50 by about as much as the default 10% threshold). Each comparison
   * has 14 rows (2 modes; latency, latency added, proxy CPU, memory, cost, errors). Measured on this exact
   * generator and seeds: 1 of 200 pairs (0.5%) flagged with the default thresholds; with every threshold at
   * 0, where only the statistics decide (Welch interval, Benjamini-Hochberg over the rows, noise gate),
   * 1 of 200 pairs and 2 of 2800 rows (0.07%). Without the Benjamini-Hochberg step about 15% of pairs had a
   * false regression with zero thresholds (31 of 200 in development): that is why it is there. The
   * assertions allow the 5% per pair the issue states, and 2.5% per row (a one-sided 95% interval's rate).
   */
  it('false-positive rate over 200 seeded same-distribution pairs is at most 5% (measured: 0.5%)', () => {
    let flaggedDefault = 0;
    let flaggedZero = 0;
    let rowsFlaggedZero = 0;
    let rows = 0;
    for (let i = 0; i < 200; i++) {
      const a = noisyRun(1000 + 2 * i, 0.1);
      const b = noisyRun(1001 + 2 * i, 0.1);
      const runA = { results: a, analysis: analyze(a, { bootstrapIterations: 50 }) };
      const runB = { results: b, analysis: analyze(b, { bootstrapIterations: 50 }) };
      const withDefaults = compareAnalyses(runA, runB);
      const withZero = compareAnalyses(runA, runB, { thresholds: zero });
      rows += withZero.summary.total;
      if (withDefaults.summary.regressions > 0) flaggedDefault++;
      if (withZero.summary.regressions > 0) flaggedZero++;
      rowsFlaggedZero += withZero.summary.regressions;
    }
    expect(rows).toBe(200 * 14);
    expect(flaggedDefault / 200).toBeLessThanOrEqual(0.05);
    expect(flaggedZero / 200).toBeLessThanOrEqual(0.05);
    expect(rowsFlaggedZero / rows).toBeLessThanOrEqual(0.025);
  });

  /**
   * The other side of the same gates: they must not be so strict that real regressions go unseen. With the
   * same 10% drift and 3 repetitions, a 50% slower and hungrier istio-sidecar is flagged in 26 of these 40
   * pairs (65%); in development a 20% regression was flagged in about 10% of pairs: at this noise, with 3
   * repetitions, that is the detectable size (more repetitions narrow the interval). Asserted: at least half.
   */
  it('a 50% regression under the same noise is caught in most pairs (measured: 65%)', () => {
    let caught = 0;
    for (let i = 0; i < 40; i++) {
      const a = noisyRun(5000 + 2 * i, 0.1);
      const b = noisyRun(5001 + 2 * i, 0.1, (m) => (m === 'istio-sidecar' ? 1.5 : 1));
      const c = compareRuns(a, b, { analysis: { bootstrapIterations: 50 } });
      if (c.metrics.some((m) => m.mode === 'istio-sidecar' && m.verdict === 'regression')) caught++;
    }
    expect(caught / 40).toBeGreaterThanOrEqual(0.5);
  });
});
