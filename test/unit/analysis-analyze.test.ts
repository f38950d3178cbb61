import { describe, expect, it } from 'vitest';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../src/analysis/analyze.js';
import { resultsFileSchema } from '../../src/results/validate.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

describe('analyze', () => {
  const results = syntheticResults({
    modes: ['baseline', 'istio-sidecar', 'istio-ambient', 'istio-waypoint', 'appmesh'],
  });

  it('the synthetic results are valid results.json', () => {
    expect(resultsFileSchema.safeParse(results).success).toBe(true);
  });

  it('one row per mode x tier in spec order, with source, options and tiers recorded', () => {
    const a = analyze(results);
    expect(a.results.map((r) => `${r.mode}/${r.tier}`)).toEqual(
      results.spec.modes.flatMap((m) => results.spec.tiers.map((t) => `${m}/${t.name}`)),
    );
    expect(a.options).toEqual(DEFAULT_ANALYSIS_OPTIONS);
    expect(a.source).toMatchObject({ runId: results.runId, resultsSchemaVersion: 1, runStatus: 'complete' });
    expect(a.tiers.map((t) => [t.name, t.targetRps])).toEqual(results.spec.tiers.map((t) => [t.name, t.rps]));
    expect(a.noiseFloor.map((n) => n.tier)).toEqual(results.spec.tiers.map((t) => t.name));
    expect(a.warnings).toEqual([]);
    expect(a.flagged).toEqual([]);
  });

  it('is deterministic and JSON-safe (it feeds HTML, compare and size)', () => {
    const a = analyze(results);
    expect(analyze(results)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('finishes in well under a few seconds for 5 modes x 3 tiers x 3 repetitions', () => {
    // About 0.4 s on an idle core; 10 s leaves room for a loaded 2-core box.
    const t0 = performance.now();
    analyze(results);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it.each([
    [{ confidence: 1 }, /confidence/],
    [{ bootstrapIterations: 0 }, /bootstrapIterations/],
    [{ rateTolerance: -0.1 }, /rateTolerance/],
    [{ seed: 1.5 }, /seed/],
  ])('rejects bad options %j', (opts, message) => {
    expect(() => analyze(results, opts)).toThrow(message);
  });
});
