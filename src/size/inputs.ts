import { analyze } from '../analysis/analyze.js';
import { UserError } from '../errors.js';
import type { ModeName } from '../modes/mode.js';
import type { ResultsFile } from '../results/schema.js';
import type { Prices } from '../spec/schema.js';
import { fitModels, type ProxyModel } from './models.js';
import { measuredPoints, type MeasuredPoint } from './measure.js';
import { sizingSchema, type SizingSettings } from './settings.js';
import type { ResultsSource } from './types.js';

/** A results file as read, with the path the user gave, which is how every output names it. */
export interface LoadedResults {
  path: string;
  results: ResultsFile;
}

/** What sizing takes from the results files: models, settings, prices and where they came from. */
export interface SizingInputs {
  sources: ResultsSource[];
  points: MeasuredPoint[];
  models: ProxyModel[];
  /** Non-baseline modes measured in any file, in the order first seen. */
  measuredModes: ModeName[];
  settings: SizingSettings;
  prices: Prices;
  warnings: string[];
}

/** Flag overrides of the spec's `sizing:` block, keyed by the flag that set them (for error messages). */
export interface SizingOverrides {
  headroom?: number;
  cpuLimitFactor?: number;
  memLimitFactor?: number;
  minCpuMillicores?: number;
  minMemMiB?: number;
}

const FLAG_OF: Readonly<Record<string, string>> = {
  headroom: '--headroom',
  cpuLimitFactor: '--cpu-limit-factor',
  memLimitFactor: '--mem-limit-factor',
  'minimum.cpuMillicores': '--min-cpu',
  'minimum.memMiB': '--min-mem',
};

/** The spec's sizing block with flags laid over it, validated by the same schema (a bad flag: exit 2). */
export function applyOverrides(base: SizingSettings, o: SizingOverrides): SizingSettings {
  const merged = {
    ...base,
    ...(o.headroom !== undefined ? { headroom: o.headroom } : {}),
    ...(o.cpuLimitFactor !== undefined ? { cpuLimitFactor: o.cpuLimitFactor } : {}),
    ...(o.memLimitFactor !== undefined ? { memLimitFactor: o.memLimitFactor } : {}),
    minimum: {
      ...base.minimum,
      ...(o.minCpuMillicores !== undefined ? { cpuMillicores: o.minCpuMillicores } : {}),
      ...(o.minMemMiB !== undefined ? { memMiB: o.minMemMiB } : {}),
    },
  };
  const parsed = sizingSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const path = i.path.join('.');
    return `${FLAG_OF[path] ?? `sizing.${path}`}: ${i.message}`;
  });
  throw new UserError(
    'sizing settings are not valid',
    problems,
    'e.g. --headroom 0.3 (30% over the modelled peak), --cpu-limit-factor 2',
  );
}

function sourceOf(l: LoadedResults): ResultsSource {
  const env = l.results.environment;
  return {
    path: l.path,
    runId: l.results.runId,
    specName: l.results.spec.name,
    status: l.results.status,
    platform: env.platform,
    proxy: `${env.proxy.name} ${env.proxy.version}`.trim(),
    emulation: env.emulation ?? null,
    startedAt: l.results.startedAt,
  };
}

/**
 * Reads the measurements of every results file and fits one model per mode x proxy kind over all of them.
 * The spec used (sizing settings, prices) is the one recorded in the first file; a later file recording
 * different ones is named in a warning, since its points are fitted all the same.
 */
export function sizingInputs(
  loaded: readonly LoadedResults[],
  overrides: SizingOverrides = {},
): SizingInputs {
  const first = loaded[0];
  if (!first)
    throw new UserError(
      'no results file given',
      [],
      'pass --results <results.json> (a file `meshbench run` wrote); repeat it to fit over several runs',
    );
  const warnings: string[] = [];
  const points: MeasuredPoint[] = [];
  for (const l of loaded) {
    // Sizing reads proxy and load figures only; confidence intervals are not used, so one bootstrap
    // resample keeps analyze() fast (about 0.15 s instead of 1.3 s for a 5-mode run).
    const analysis = analyze(l.results, { bootstrapIterations: 1 });
    const m = measuredPoints(l.results, analysis, l.path);
    points.push(...m.points);
    warnings.push(...m.warnings);
    if (l !== first) {
      if (JSON.stringify(l.results.spec.prices) !== JSON.stringify(first.results.spec.prices)) {
        warnings.push(
          `${l.path} records other prices than ${first.path}; the prices of ${first.path} are used`,
        );
      }
      if (JSON.stringify(l.results.spec.sizing) !== JSON.stringify(first.results.spec.sizing)) {
        warnings.push(
          `${l.path} records other sizing settings than ${first.path}; those of ${first.path} are used`,
        );
      }
    }
    if (l.results.status !== 'complete')
      warnings.push(`${l.path}: the run is ${l.results.status}; its measured cells are used`);
  }
  const models = fitModels(points);
  return {
    sources: loaded.map(sourceOf),
    points,
    models,
    measuredModes: [...new Set(points.map((p) => p.mode))],
    settings: applyOverrides(first.results.spec.sizing, overrides),
    prices: { ...first.results.spec.prices },
    warnings,
  };
}
