import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import type { Analysis, ModeTierAnalysis } from '../../src/analysis/types.js';
import { syntheticResults, type CellKey, type SyntheticCell } from '../helpers/synthetic-results.js';

function row(a: Analysis, mode: string, tier = 'medium'): ModeTierAnalysis {
  const r = a.results.find((x) => x.mode === mode && x.tier === tier);
  if (!r) throw new Error(`no row ${mode}/${tier}`);
  return r;
}

function run(cell: (c: CellKey) => Partial<SyntheticCell>, rateTolerance?: number) {
  const results = syntheticResults({
    modes: ['baseline', 'istio-sidecar'],
    tiers: [{ name: 'medium' }],
    cell,
  });
  return analyze(results, rateTolerance === undefined ? {} : { rateTolerance });
}

const sidecarRep2 = (over: Partial<SyntheticCell>) => (c: CellKey) =>
  c.mode === 'istio-sidecar' && c.repetition === 2 ? over : {};

describe('load figures and flags', () => {
  it.each([
    // [achieved RPS of 500 target, tolerance, rate-missed?]
    [474.5, undefined, true], // 94.9% < 95%
    [475.5, undefined, false], // 95.1%
    [474.5, 0.1, false], // 94.9% >= 90%
  ])('achieved %d of 500 with tolerance %s -> rate-missed %s', (achievedRps, tol, missed) => {
    const r = row(run(sidecarRep2({ achievedRps }), tol), 'istio-sidecar');
    expect(r.flags.includes('rate-missed')).toBe(missed);
    expect(r.load.perRepetition[1]?.flags.includes('rate-missed')).toBe(missed);
    expect(r.load.achievedRps?.min).toBe(achievedRps);
  });

  it('dropped and errors: counted, rated and flagged', () => {
    const r = row(
      run((c) => (c.mode === 'istio-sidecar' ? { errors: 10, dropped: c.repetition } : {})),
      'istio-sidecar',
    );
    expect(r.load.requests).toBe(3000);
    expect(r.load.errorCount).toBe(30);
    expect(r.load.errorRate).toBeCloseTo(0.01, 12);
    expect(r.load.errorsByStatus).toEqual({ '503': 30 });
    expect(r.load.dropped).toBe(6);
    expect(r.flags).toEqual(['dropped', 'errors']);
  });

  it('a failed repetition is left out of every figure and flagged', () => {
    const r = row(run(sidecarRep2({ status: 'failed', error: 'proxy crashed' })), 'istio-sidecar');
    expect(r.repetitions).toEqual({ planned: 3, ok: 2, failed: 1, skipped: 0, missing: 0 });
    expect(r.latency?.count).toBe(2000);
    expect(r.latency?.perRepetition.map((p) => p.repetition)).toEqual([1, 3]);
    expect(r.load.perRepetition[1]).toMatchObject({
      status: 'failed',
      error: 'proxy crashed',
      achievedRps: null,
    });
    expect(r.flags).toEqual(['failed-cells']);
  });

  it('a repetition the run never reached makes the figure incomplete', () => {
    const r = row(run(sidecarRep2({ status: 'missing' })), 'istio-sidecar');
    expect(r.repetitions.missing).toBe(1);
    expect(r.flags).toEqual(['incomplete']);
  });

  it('no successful repetition: no latency, no overhead, flagged no-data', () => {
    const r = row(
      run((c) => (c.mode === 'istio-sidecar' ? { status: 'failed' } : {})),
      'istio-sidecar',
    );
    expect(r.latency).toBeNull();
    expect(r.overhead).toBeNull();
    expect(r.cost).toBeNull();
    expect(r.flags).toEqual(['no-data', 'failed-cells']);
  });

  it("flags reach the overhead (mode's own and baseline's, prefixed) and the flagged list", () => {
    const a = run((c) =>
      c.mode === 'baseline' && c.repetition === 1
        ? { dropped: 3 }
        : c.mode === 'istio-sidecar'
          ? { flags: ['custom-note'] }
          : {},
    );
    expect(row(a, 'baseline').flags).toEqual(['dropped']);
    expect(row(a, 'istio-sidecar').flags).toEqual(['custom-note']);
    expect(row(a, 'istio-sidecar').overhead?.flags).toEqual(['custom-note', 'baseline:dropped']);
    expect(a.flagged).toEqual([
      { mode: 'baseline', tier: 'medium', flags: ['dropped'] },
      { mode: 'istio-sidecar', tier: 'medium', flags: ['custom-note'] },
    ]);
  });
});
