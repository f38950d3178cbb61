import type { Analysis, ModeTierAnalysis, NoiseFloor } from '../analysis/types.js';
import type { OverheadPercentileKey } from '../stats/percentiles.js';
import type { Spread } from '../stats/summary.js';
import type { Figure, MetricDefinition, MetricId, RepetitionSummary } from './types.js';

/**
 * The metrics `compare` and `history` judge, in the order reports list them. For every one of them lower is
 * better. Latency is judged twice: as the latency ADDED over baseline (what a mesh costs) and as the mode's
 * ABSOLUTE latency, because a slower app, kernel or host moves baseline and every mode alike and leaves the
 * added latency where it was: a nightly job must still say that requests got slower.
 */
export const METRICS: readonly MetricDefinition[] = [
  {
    id: 'latency-p50',
    label: 'p50 latency',
    unit: 'ms',
    thresholdKey: 'latencyP50',
    description: "the mode's median latency",
  },
  {
    id: 'latency-p99',
    label: 'p99 latency',
    unit: 'ms',
    thresholdKey: 'latencyP99',
    description: "the mode's 99th-percentile latency",
  },
  {
    id: 'latency-p999',
    label: 'p99.9 latency',
    unit: 'ms',
    thresholdKey: 'latencyP999',
    description: "the mode's 99.9th-percentile latency",
  },
  {
    id: 'added-p50',
    label: 'p50 added',
    unit: 'ms',
    thresholdKey: 'addedP50',
    description: "the mode's p50 minus baseline's, same run and tier",
  },
  {
    id: 'added-p99',
    label: 'p99 added',
    unit: 'ms',
    thresholdKey: 'addedP99',
    description: "the mode's p99 minus baseline's, same run and tier",
  },
  {
    id: 'added-p999',
    label: 'p99.9 added',
    unit: 'ms',
    thresholdKey: 'addedP999',
    description: "the mode's p99.9 minus baseline's, same run and tier",
  },
  {
    id: 'proxy-cpu-per-1000rps',
    label: 'proxy CPU / 1000 RPS',
    unit: 'millicores',
    thresholdKey: 'proxyCpuPer1000Rps',
    description: "mean CPU of all the mode's proxies per 1000 achieved RPS",
  },
  {
    id: 'proxy-memory',
    label: 'proxy memory',
    unit: 'MiB',
    thresholdKey: 'proxyMemory',
    description: "mean resident memory of all the mode's proxies together",
  },
  {
    id: 'cost-per-pod',
    label: 'cost per pod',
    unit: 'USD/month',
    thresholdKey: 'costPerPod',
    description: 'monthly cost of the measured proxy usage per pod',
  },
  {
    id: 'error-rate',
    label: 'error rate',
    unit: 'ratio',
    thresholdKey: 'errorRate',
    description: 'requests answered with anything but 2xx/3xx, over all requests',
  },
];

export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);

export function metricDefinition(id: MetricId): MetricDefinition {
  const found = METRICS.find((m) => m.id === id);
  if (!found) throw new Error(`unknown metric ${id}`);
  return found;
}

const LATENCY: readonly [MetricId, MetricId, OverheadPercentileKey][] = [
  ['latency-p50', 'added-p50', 'p50'],
  ['latency-p99', 'added-p99', 'p99'],
  ['latency-p999', 'added-p999', 'p999'],
];

function summaryOf(values: readonly number[]): RepetitionSummary | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const stddev = n < 2 ? null : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, stddev };
}

function fromSpread(s: Spread): RepetitionSummary {
  return { n: s.n, mean: s.mean, stddev: s.stddev };
}

/** max - min over repetitions: the headline noise measure of Analysis (analysis/noise-floor.ts) too. */
function rangeOf(s: Spread): number | null {
  return s.n >= 2 ? s.max - s.min : null;
}

function maxOrNull(...xs: (number | null | undefined)[]): number | null {
  const present = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return present.length === 0 ? null : Math.max(...present);
}

/**
 * Per-repetition latency added: the mode's percentile minus baseline's in the SAME repetition. Interleaved
 * runs measure both within seconds of each other, so pairing cancels drift that hits both (a noisy
 * neighbour, a thermal step) instead of counting it twice.
 */
function pairedAdded(row: ModeTierAnalysis, base: ModeTierAnalysis, key: OverheadPercentileKey): number[] {
  const baseByRep = new Map(base.latency?.perRepetition.map((r) => [r.repetition, r.percentilesMs[key]]));
  const out: number[] = [];
  for (const r of row.latency?.perRepetition ?? []) {
    const b = baseByRep.get(r.repetition);
    if (b !== undefined) out.push(r.percentilesMs[key] - b);
  }
  return out;
}

function latencyFigures(row: ModeTierAnalysis, analysis: Analysis, floor: NoiseFloor | undefined): Figure[] {
  const out: Figure[] = [];
  const latency = row.latency;
  if (!latency) return out;
  const base: Pick<Figure, 'mode' | 'tier' | 'flags'> = { mode: row.mode, tier: row.tier, flags: row.flags };
  for (const [absId, , key] of LATENCY) {
    const spread = latency.spreadMs[key];
    out.push({
      ...base,
      metric: absId,
      value: latency.mergedMs[key],
      perRepetition: fromSpread(spread),
      noise: rangeOf(spread),
    });
  }
  const overhead = row.overhead;
  const baseRow = analysis.results.find((r) => r.mode === analysis.baselineMode && r.tier === row.tier);
  if (!overhead || !baseRow) return out;
  for (const [, addedId, key] of LATENCY) {
    const estimate = overhead.byPercentile[key];
    const paired = summaryOf(pairedAdded(row, baseRow, key));
    const halfWidth = estimate.ci ? (estimate.ci.highMs - estimate.ci.lowMs) / 2 : null;
    out.push({
      mode: row.mode,
      tier: row.tier,
      metric: addedId,
      value: estimate.pointMs,
      perRepetition: paired,
      // The run's own view of how uncertain its overhead is: its bootstrap interval's half-width, or
      // baseline's spread between repetitions (the noise floor), whichever is larger.
      noise: paired && paired.n >= 2 ? maxOrNull(halfWidth, floor?.byPercentile[key].rangeMs) : null,
      flags: overhead.flags,
    });
  }
  return out;
}

function resourceFigures(row: ModeTierAnalysis): Figure[] {
  const out: Figure[] = [];
  const base = { mode: row.mode, tier: row.tier, flags: row.flags };
  // A mode without proxies (baseline) has nothing to compare: its zeros would only fill the table.
  if (row.proxies.count === 0) return out;
  const cpu = row.proxies.per1000Rps?.cpuMillicores;
  if (cpu)
    out.push({
      ...base,
      metric: 'proxy-cpu-per-1000rps',
      value: cpu.mean,
      perRepetition: fromSpread(cpu),
      noise: rangeOf(cpu),
    });
  const mem = row.proxies.total?.memMiB;
  if (mem)
    out.push({
      ...base,
      metric: 'proxy-memory',
      value: mem.mean,
      perRepetition: fromSpread(mem),
      noise: rangeOf(mem),
    });
  const cost = row.cost;
  if (cost) {
    const s = cost.perPodMonthlyUsdSpread;
    out.push({
      ...base,
      metric: 'cost-per-pod',
      value: cost.perPodMonthly.totalUsd,
      perRepetition: fromSpread(s),
      noise: rangeOf(s),
    });
  }
  return out;
}

function errorFigure(row: ModeTierAnalysis): Figure[] {
  const load = row.load;
  if (load.errorRate === null) return [];
  const rates = load.perRepetition
    .filter((r) => r.status === 'ok' && r.requests !== null && r.requests > 0)
    .map((r) => (r.errorCount ?? 0) / (r.requests ?? 1));
  const summary = summaryOf(rates);
  const noise = rates.length >= 2 ? Math.max(...rates) - Math.min(...rates) : null;
  return [
    {
      mode: row.mode,
      tier: row.tier,
      metric: 'error-rate',
      value: load.errorRate,
      perRepetition: summary,
      noise,
      flags: row.flags,
    },
  ];
}

/**
 * Every figure of one run that compare and history judge, per mode x tier. Headline values are the ones the
 * run's report shows (percentiles of histograms merged over repetitions, mean usage over repetitions, pooled
 * error rate); the per-repetition summaries behind them feed the interval on a difference; the noise is the
 * spread between the run's own repetitions (max - min), and for latency added the larger of the overhead's
 * interval half-width and baseline's noise floor.
 */
export function runFigures(analysis: Analysis): Figure[] {
  const out: Figure[] = [];
  for (const row of analysis.results) {
    const floor = analysis.noiseFloor.find((f) => f.tier === row.tier);
    out.push(...latencyFigures(row, analysis, floor), ...resourceFigures(row), ...errorFigure(row));
  }
  return out;
}

export function figureKey(f: Pick<Figure, 'mode' | 'tier' | 'metric'>): string {
  return `${f.mode}\u0000${f.tier}\u0000${f.metric}`;
}
