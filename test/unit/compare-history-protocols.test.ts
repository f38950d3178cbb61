import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { checkCompatibility } from '../../src/compare/compatibility.js';
import { buildHistory, type HistoryInput } from '../../src/history/build.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { tierSeriesName } from '../../src/spec/tier-variant.js';
import { syntheticResults, type SyntheticOptions } from '../helpers/synthetic-results.js';

const run = (o: SyntheticOptions = {}): ResultsFile =>
  syntheticResults({
    tiers: [{ name: 'low' }, { name: 'medium' }],
    repetitions: 2,
    latency: { kind: 'constant', valueUs: 1000, count: 50 },
    ...o,
  });

/** A results.json written before tiers had requestsPerConnection: the field absent, as such files hold it. */
function writtenBeforeTheField(r: ResultsFile): ResultsFile {
  const old = JSON.parse(JSON.stringify(r)) as ResultsFile;
  for (const t of old.spec.tiers) delete (t as { requestsPerConnection?: number }).requestsPerConnection;
  return old;
}

describe('compare: tiers of another protocol or connection churn are other experiments', () => {
  it.each([
    ['protocol', { protocol: 'grpc' as const }, 'http/1.1', 'grpc'],
    ['requestsPerConnection', { requestsPerConnection: 1 }, '(none)', '1'],
  ])('a tier whose %s differs is excluded, naming both values', (field, change, before, after) => {
    const a = run();
    const b = run({ tiers: [{ name: 'low' }, { name: 'medium', ...change }] });
    const c = checkCompatibility(a, b);
    expect(c.tiers).toEqual(['low']);
    expect(c.partial).toBe(true);
    expect(c.differences).toContainEqual({
      subject: `tier medium: ${field}`,
      baseline: before,
      candidate: after,
      impact: 'excludes',
    });
  });

  it('results written before the fields compare with today’s plain tiers as before: no difference at all', () => {
    const c = checkCompatibility(writtenBeforeTheField(run({ seed: 1 })), run({ seed: 2 }));
    expect(c.tiers).toEqual(['low', 'medium']);
    expect(c.differences.filter((d) => d.subject.startsWith('tier '))).toEqual([]);
  });
});

describe('history: a tier name run over another protocol is another series', () => {
  const night = (i: number, tier: SyntheticOptions['tiers']): HistoryInput => {
    const results = run({ seed: 10 + i, tiers: tier, modes: ['baseline', 'istio-sidecar'] });
    results.runId = `night-${i}`;
    results.startedAt = new Date(Date.UTC(2025, 0, 1 + i, 2)).toISOString();
    return { source: `${i}`, results, analysis: analyze(results, { bootstrapIterations: 20 }) };
  };

  it('splits the series by variant, keeps plain tiers under their own name, and warns of no definition change', () => {
    const h = buildHistory([
      night(0, [{ name: 'medium' }]),
      night(1, [{ name: 'medium' }]),
      night(2, [{ name: 'medium', protocol: 'grpc' }]),
      night(3, [{ name: 'medium', requestsPerConnection: 1 }]),
    ]);
    const tiers = [...new Set(h.series.map((s) => s.tier))];
    expect(tiers.sort()).toEqual(['medium', 'medium · 1 req/conn', 'medium · gRPC']);
    const p99 = (tier: string) =>
      h.series.find((s) => s.tier === tier && s.mode === 'istio-sidecar' && s.metric === 'latency-p99');
    expect(p99('medium')?.points.map((p) => p.run)).toEqual([0, 1]);
    expect(p99('medium · gRPC')?.points.map((p) => p.run)).toEqual([2]);
    expect(h.warnings.filter((w) => w.includes('defined differently'))).toEqual([]);
    // --tier medium keeps every variant run under that name.
    const only = buildHistory(
      [night(0, [{ name: 'medium' }]), night(2, [{ name: 'medium', protocol: 'grpc' }])],
      {
        tiers: ['medium'],
      },
    );
    expect(new Set(only.series.map((s) => s.tier))).toEqual(new Set(['medium', 'medium · gRPC']));
  });

  it('old and new runs of a plain tier stay one series', () => {
    const old = night(0, [{ name: 'low' }]);
    old.results = writtenBeforeTheField(old.results);
    const h = buildHistory([old, night(1, [{ name: 'low' }])]);
    expect(new Set(h.series.map((s) => s.tier))).toEqual(new Set(['low']));
    expect(tierSeriesName({ name: 'low', protocol: 'http/1.1' })).toBe('low');
  });
});
