import type { ResourceUsage } from '../cost/resource-cost.js';
import { predict } from './fit.js';
import type { ProxyModel } from './models.js';
import type { SizingSettings } from './settings.js';

/** Whether a proxy is sized outside the RPS range its model was measured over. */
export interface Extrapolation {
  /** Some RPS the proxy is sized for is above the highest measured: the model is extended, not measured. */
  above: boolean;
  /** Some RPS is below the lowest measured (usually harmless: the intercept is idle usage, and a minimum applies). */
  below: boolean;
  rpsMin: number;
  rpsMax: number;
}

export interface Recommendation {
  /** The model at the peak RPS, before headroom. */
  modelAtPeak: ResourceUsage;
  requests: ResourceUsage;
  limits: ResourceUsage;
  /** The request is the spec's minimum, not the model plus headroom. */
  floored: { cpu: boolean; mem: boolean };
}

// A relative tolerance so that a measured 1000.0000000001 RPS does not flag an inventory's 1000 RPS.
const RANGE_TOLERANCE = 1e-9;

export function extrapolation(model: ProxyModel, rps: readonly number[]): Extrapolation {
  return {
    above: rps.some((r) => r > model.rpsMax * (1 + RANGE_TOLERANCE)),
    below: rps.some((r) => r < model.rpsMin * (1 - RANGE_TOLERANCE)),
    rpsMin: model.rpsMin,
    rpsMax: model.rpsMax,
  };
}

/**
 * Requests and limits are whole millicores and MiB, rounded up. The fit's floating-point noise (a slope of
 * 0.09999999999999998 for 0.1) must not round 33.000000000000004 up to 34, so a millionth is forgiven first.
 */
export function roundUp(x: number): number {
  return Math.max(0, Math.ceil(x - 1e-6));
}

/**
 * request = max(minimum, model(peak RPS) x (1 + headroom)), limit = request x limit factor: a proxy reserves
 * what it is expected to use at its service's peak plus headroom, and may burst to the limit.
 */
export function recommend(model: ProxyModel, peakRps: number, s: SizingSettings): Recommendation {
  const modelAtPeak = { cpuMillicores: predict(model.cpu, peakRps), memMiB: predict(model.mem, peakRps) };
  const wantCpu = modelAtPeak.cpuMillicores * (1 + s.headroom);
  const wantMem = modelAtPeak.memMiB * (1 + s.headroom);
  const requests = {
    cpuMillicores: roundUp(Math.max(s.minimum.cpuMillicores, wantCpu)),
    memMiB: roundUp(Math.max(s.minimum.memMiB, wantMem)),
  };
  return {
    modelAtPeak,
    requests,
    limits: {
      cpuMillicores: roundUp(requests.cpuMillicores * s.cpuLimitFactor),
      memMiB: roundUp(requests.memMiB * s.memLimitFactor),
    },
    floored: { cpu: wantCpu < s.minimum.cpuMillicores, mem: wantMem < s.minimum.memMiB },
  };
}

/** What a proxy is expected to use on average: the model at the average RPS, no headroom, no minimum. */
export function expectedUsage(model: ProxyModel, avgRps: number): ResourceUsage {
  return { cpuMillicores: predict(model.cpu, avgRps), memMiB: predict(model.mem, avgRps) };
}
