import type { ModeName } from '../modes/mode.js';
import { fitLine, type LinearFit } from './fit.js';
import type { MeasuredPoint } from './measure.js';
import { PROXY_KINDS, type ProxyKind } from './proxy-kind.js';

/**
 * A CPU fit explaining less than this share of the variance is flagged 'weak-cpu-fit': below 0.8 the line
 * misses a fifth or more of the variation, and recommendations lean on headroom more than on the model.
 */
export const WEAK_FIT_R2 = 0.8;

export type ModelFlag = 'single-rps-level' | 'weak-cpu-fit' | 'negative-cpu-slope';

/** Usage of one kind of proxy of one mode as a function of the RPS through it. */
export interface ProxyModel {
  mode: ModeName;
  kind: ProxyKind;
  cpu: LinearFit;
  mem: LinearFit;
  points: number;
  /** The measured range: predictions outside it are extrapolations and flagged. */
  rpsMin: number;
  rpsMax: number;
  /** Results files the points came from. */
  sources: string[];
  flags: ModelFlag[];
}

export function fitModel(mode: ModeName, kind: ProxyKind, points: readonly MeasuredPoint[]): ProxyModel {
  const cpu = fitLine(
    points.map((p) => [p.rps, p.cpuMillicores] as const),
    'proportional',
  );
  const mem = fitLine(
    points.map((p) => [p.rps, p.memMiB] as const),
    'flat',
  );
  const flags: ModelFlag[] = [];
  if (cpu.method !== 'least-squares') flags.push('single-rps-level');
  if (cpu.r2 !== null && cpu.r2 < WEAK_FIT_R2) flags.push('weak-cpu-fit');
  if (cpu.slopePerRps < 0) flags.push('negative-cpu-slope');
  const rps = points.map((p) => p.rps);
  return {
    mode,
    kind,
    cpu,
    mem,
    points: points.length,
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    sources: [...new Set(points.map((p) => p.source))],
    flags,
  };
}

/** One model per mode x kind that has points, pooling every results file; in the order points first appear. */
export function fitModels(points: readonly MeasuredPoint[]): ProxyModel[] {
  const modes = [...new Set(points.map((p) => p.mode))];
  return modes.flatMap((mode) =>
    PROXY_KINDS.flatMap((kind) => {
      const mine = points.filter((p) => p.mode === mode && p.kind === kind);
      return mine.length > 0 ? [fitModel(mode, kind, mine)] : [];
    }),
  );
}
