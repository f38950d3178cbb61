import { RATE_TOLERANCE } from './rate-missed.js';
import { publishedFigures } from './published.js';
import type { ModeName } from '../modes/mode.js';
import type { ResultsFile } from '../results/schema.js';
import { deriveSeed } from '../stats/prng.js';
import { groupCells, groupKey, type CellGroup } from './cells.js';
import { analyzeCost } from './cost.js';
import { normaliseFlags } from './flags.js';
import { latencySample, type LatencySample } from './latency.js';
import { analyzeLoad, groupFlags } from './load.js';
import { estimateNoiseFloor } from './noise-floor.js';
import { estimateOverhead } from './overhead.js';
import { analyzeProxies } from './proxies.js';
import {
  ANALYSIS_SCHEMA,
  ANALYSIS_SCHEMA_VERSION,
  type Analysis,
  type AnalysisOptions,
  type ModeTierAnalysis,
  type NoiseFloor,
  type TierSummary,
} from './types.js';

export const BASELINE_MODE: ModeName = 'baseline';

/**
 * Defaults: 95% intervals; 2000 bootstrap resamples (Efron & Tibshirani 1993 suggest >= 1000 for percentile
 * intervals; 2000 keeps the 2.5% tail at 50 resamples); the runner's rate tolerance (rate-missed.ts).
 */
export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  confidence: 0.95,
  bootstrapIterations: 2000,
  seed: 1,
  rateTolerance: RATE_TOLERANCE,
  shiftMinRepetitions: 8,
  shiftMinTailValues: 10,
};

function resolveOptions(opts: Partial<AnalysisOptions> | undefined): AnalysisOptions {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...stripUndefined(opts ?? {}) };
  if (!(o.confidence > 0 && o.confidence < 1))
    throw new Error(`confidence must be in (0, 1), got ${o.confidence}`);
  if (!(Number.isInteger(o.bootstrapIterations) && o.bootstrapIterations >= 1)) {
    throw new Error(`bootstrapIterations must be a positive integer, got ${o.bootstrapIterations}`);
  }
  if (!(o.rateTolerance >= 0 && o.rateTolerance < 1))
    throw new Error(`rateTolerance must be in [0, 1), got ${o.rateTolerance}`);
  if (!Number.isInteger(o.seed)) throw new Error(`seed must be an integer, got ${o.seed}`);
  if (!(Number.isInteger(o.shiftMinRepetitions) && o.shiftMinRepetitions >= 2))
    throw new Error(`shiftMinRepetitions must be an integer >= 2, got ${o.shiftMinRepetitions}`);
  if (!(Number.isInteger(o.shiftMinTailValues) && o.shiftMinTailValues >= 1))
    throw new Error(`shiftMinTailValues must be a positive integer, got ${o.shiftMinTailValues}`);
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function tierSummary(t: ResultsFile['spec']['tiers'][number]): TierSummary {
  return {
    name: t.name,
    targetRps: t.rps,
    durationSec: t.durationSec,
    warmupSec: t.warmupSec,
    connections: t.connections,
    payloadBytes: t.payloadBytes,
    protocol: t.protocol,
    ...(t.requestsPerConnection !== undefined ? { requestsPerConnection: t.requestsPerConnection } : {}),
    maxInFlight: t.maxInFlight,
    timeoutMs: t.timeoutMs,
  };
}

function repetitionCounts(group: CellGroup): ModeTierAnalysis['repetitions'] {
  const statuses = [...group.byRepetition.values()].map((c) => c.status);
  const present = new Set(group.byRepetition.keys());
  let missing = 0;
  for (let r = 1; r <= group.planned; r++) if (!present.has(r)) missing++;
  return {
    planned: group.planned,
    ok: group.ok.length,
    failed: statuses.filter((s) => s === 'failed').length,
    skipped: statuses.filter((s) => s === 'skipped').length,
    missing,
  };
}

/**
 * Results in, analysis out: percentiles from merged histograms, overhead vs baseline with bootstrap intervals
 * and a Welch test, noise floor, load flags, proxy CPU/memory and their cost. Pure and deterministic: the
 * same results and options always give the same analysis.
 */
export function analyze(results: ResultsFile, opts?: Partial<AnalysisOptions>): Analysis {
  const options = resolveOptions(opts);
  const { groups, warnings } = groupCells(results);
  const modes = [...results.spec.modes];
  const baselineMode = modes.includes(BASELINE_MODE) ? BASELINE_MODE : null;

  const samples = new Map<string, LatencySample>();
  const rows: ModeTierAnalysis[] = [];
  for (const mode of modes) {
    const topology = results.topology.find((t) => t.mode === mode);
    if (!topology)
      warnings.push(`no topology recorded for ${mode}: proxy figures and cost are not available`);
    for (const tier of results.spec.tiers) {
      const group = groups.get(groupKey(mode, tier.name));
      if (!group) continue;
      const latency = latencySample(group.ok);
      if (latency) samples.set(groupKey(mode, tier.name), latency.sample);
      const load = analyzeLoad(group, tier.rps, options.rateTolerance);
      const proxies = analyzeProxies(group.ok, topology, `${mode}/${tier.name}`);
      warnings.push(...proxies.warnings);
      rows.push({
        mode,
        tier: tier.name,
        repetitions: repetitionCounts(group),
        latency: latency?.analysis ?? null,
        overhead: null,
        load,
        proxies: proxies.analysis,
        cost: analyzeCost(proxies.perPodByRepetition, results.spec.prices),
        flags: groupFlags(group, load),
      });
    }
  }

  const noiseFloor: NoiseFloor[] = [];
  if (baselineMode) {
    for (const tier of results.spec.tiers) {
      const base = samples.get(groupKey(baselineMode, tier.name));
      const baseFlags = rows.find((r) => r.mode === baselineMode && r.tier === tier.name)?.flags ?? [];
      if (base) {
        noiseFloor.push({
          tier: tier.name,
          baseline: baselineMode,
          repetitions: base.repetitions.length,
          byPercentile: estimateNoiseFloor(base, options, deriveSeed(options.seed, 'noise-floor', tier.name)),
        });
      }
      for (const row of rows) {
        if (row.tier !== tier.name || row.mode === baselineMode) continue;
        const sample = samples.get(groupKey(row.mode, tier.name));
        if (!base || !sample) continue;
        row.overhead = {
          baseline: baselineMode,
          repetitions: { mode: sample.repetitions.length, baseline: base.repetitions.length },
          byPercentile: estimateOverhead(
            sample,
            base,
            options,
            deriveSeed(options.seed, 'overhead', row.mode, tier.name),
          ),
          flags: normaliseFlags([...row.flags, ...baseFlags.map((f) => `baseline:${f}`)]),
        };
      }
    }
  }

  return {
    schema: ANALYSIS_SCHEMA,
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    source: {
      runId: results.runId,
      specName: results.spec.name,
      resultsSchemaVersion: results.schemaVersion,
      runStatus: results.status,
      startedAt: results.startedAt,
      finishedAt: results.finishedAt ?? null,
      runError: results.error ?? null,
    },
    options,
    baselineMode,
    modes,
    tiers: results.spec.tiers.map(tierSummary),
    prices: { ...results.spec.prices },
    results: rows,
    noiseFloor,
    flagged: rows
      .filter((r) => r.flags.length > 0)
      .map((r) => ({ mode: r.mode, tier: r.tier, flags: r.flags })),
    warnings,
    ...publishedFigures(modes),
  };
}
