import type { Analysis } from '../analysis/types.js';
import { TIER_FIELDS } from '../compare/compatibility.js';
import { figureKey, METRICS, runFigures } from '../compare/metrics.js';
import type { Figure, MetricId } from '../compare/types.js';
import type { ModeName } from '../modes/mode.js';
import type { ResultsFile } from '../results/schema.js';
import { tierSeriesName } from '../spec/tier-variant.js';
import { DEFAULT_STEP_OPTIONS, detectSteps } from './change-points.js';
import {
  HISTORY_SCHEMA,
  HISTORY_SCHEMA_VERSION,
  type ChangePoint,
  type History,
  type HistoryRun,
  type HistorySeries,
} from './types.js';

export interface HistoryInput {
  /** Where the file was found, for the report. */
  source: string;
  results: ResultsFile;
  analysis: Analysis;
}

export interface HistoryOptions {
  /** Only these metrics (default: every metric compare judges). */
  metrics?: readonly MetricId[];
  modes?: readonly string[];
  tiers?: readonly string[];
  window?: number;
  minWindow?: number;
  alpha?: number;
}

function byStart(a: HistoryInput, b: HistoryInput): number {
  return a.results.startedAt < b.results.startedAt
    ? -1
    : a.results.startedAt > b.results.startedAt
      ? 1
      : a.results.runId.localeCompare(b.results.runId);
}

/** Keys in first-seen order, walking the runs newest first, so the current spec's order wins. */
function orderOf<T>(runs: readonly HistoryInput[], pick: (r: ResultsFile) => readonly T[]): T[] {
  const seen = new Set<T>();
  for (const r of [...runs].reverse()) for (const x of pick(r.results)) seen.add(x);
  return [...seen];
}

/** A warning for each night where a tier's definition changed: its values before and after differ in kind. */
function tierChanges(runs: readonly HistoryInput[]): string[] {
  const out: string[] = [];
  const last = new Map<string, { def: string; runId: string }>();
  for (const r of runs) {
    for (const t of r.results.spec.tiers) {
      const def = TIER_FIELDS.map((f) => `${f} ${String(t[f])}`).join(', ');
      // Keyed by series name: a tier run over another protocol or churn is another series, not a changed one.
      const prev = last.get(tierSeriesName(t));
      if (prev && prev.def !== def) {
        out.push(
          `tier ${t.name} is defined differently from run ${r.results.runId} on (was: ${prev.def}; now: ${def}): a step there may be the spec's`,
        );
      }
      last.set(tierSeriesName(t), { def, runId: r.results.runId });
    }
  }
  return out;
}

/**
 * Many runs (one per night) in, one series per mode x tier x metric out, ordered by startedAt, with the
 * steps found in each (history/change-points.ts). Pure. The figures are those `compare` judges, and a
 * step must clear the same thresholds, taken from the newest run's spec.
 */
export function buildHistory(inputs: readonly HistoryInput[], opts: HistoryOptions = {}): History {
  const sorted = [...inputs].sort(byStart);
  const warnings: string[] = [];
  const runs: HistoryRun[] = sorted.map((r) => ({
    runId: r.results.runId,
    specName: r.results.spec.name,
    startedAt: r.results.startedAt,
    status: r.results.status,
    source: r.source,
  }));
  const ids = runs.map((r) => r.runId);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
    warnings.push(`run ${id} was found more than once: each copy is a point`);
  for (const r of runs)
    if (r.status !== 'complete')
      warnings.push(`run ${r.runId} is ${r.status}: its figures cover the cells it finished`);
  warnings.push(...tierChanges(sorted));

  const newest = sorted[sorted.length - 1];
  const thresholds = newest?.results.spec.thresholds;
  const detector = {
    window: opts.window ?? DEFAULT_STEP_OPTIONS.window,
    minWindow: opts.minWindow ?? DEFAULT_STEP_OPTIONS.minWindow,
    alpha: opts.alpha ?? DEFAULT_STEP_OPTIONS.alpha,
  };

  // A tier is followed under its series name (spec/tier-variant.ts): the same name over another protocol or
  // connection churn is another series. Plain HTTP/1.1 keep-alive tiers keep their own name, as before.
  const figures = sorted.map((r) => {
    const names = new Map(r.results.spec.tiers.map((t) => [t.name, tierSeriesName(t)]));
    return new Map(
      runFigures(r.analysis).map((f) => {
        const g = { ...f, tier: names.get(f.tier) ?? f.tier };
        return [figureKey(g), g];
      }),
    );
  });
  const modes = orderOf<ModeName>(sorted, (r) => r.spec.modes).filter(
    (m) => !opts.modes || opts.modes.includes(m),
  );
  // --tier names a tier as the spec does: it keeps every variant run under that name.
  const tiers = orderOf<string>(sorted, (r) => r.spec.tiers.map(tierSeriesName)).filter(
    (t) => !opts.tiers || opts.tiers.includes(t) || opts.tiers.includes(t.split(' · ')[0] ?? t),
  );
  const metrics = METRICS.filter((m) => !opts.metrics || opts.metrics.includes(m.id));

  const series: HistorySeries[] = [];
  for (const def of metrics) {
    for (const tier of tiers) {
      for (const mode of modes) {
        const key = figureKey({ mode, tier, metric: def.id });
        const points = figures.flatMap((byKey, run) => {
          const f: Figure | undefined = byKey.get(key);
          return f ? [{ run, value: f.value, noise: f.noise, flags: [...f.flags] }] : [];
        });
        if (points.length === 0) continue;
        const steps = thresholds
          ? detectSteps(
              points.map((p) => p.value),
              points.map((p) => p.noise),
              { ...detector, limit: thresholds[def.thresholdKey] },
            )
          : [];
        const changePoints: ChangePoint[] = steps.map((s) => ({
          run: points[s.index]?.run ?? 0,
          before: s.before,
          after: s.after,
          change: s.change,
          relativeChange: s.relativeChange,
          pValue: s.pValue,
          kind: s.direction === 'up' ? 'regression' : 'improvement',
        }));
        series.push({ mode, tier, metric: def.id, label: def.label, unit: def.unit, points, changePoints });
      }
    }
  }
  return { schema: HISTORY_SCHEMA, schemaVersion: HISTORY_SCHEMA_VERSION, runs, series, detector, warnings };
}
