import { monthlyCost, monthlyCostForPods, type ResourceUsage } from '../cost/resource-cost.js';
import type { Prices } from '../spec/schema.js';
import { spread } from '../stats/summary.js';
import type { CostAnalysis } from './types.js';

/** Pods the "for N pods" figure is given for: a round fleet size a platform team can scale in its head. */
export const FLEET_PODS = 100;

/**
 * Monthly proxy cost per pod from the MEASURED mean usage per pod of each repetition (cost is linear in
 * usage, so the cost of the mean usage equals the mean of the per-repetition costs). Null without usage.
 */
export function analyzeCost(
  perPodByRepetition: readonly ResourceUsage[],
  prices: Prices,
): CostAnalysis | null {
  if (perPodByRepetition.length === 0) return null;
  const n = perPodByRepetition.length;
  const meanUsage: ResourceUsage = {
    cpuMillicores: perPodByRepetition.reduce((s, u) => s + u.cpuMillicores, 0) / n,
    memMiB: perPodByRepetition.reduce((s, u) => s + u.memMiB, 0) / n,
  };
  return {
    basis: 'measured-mean-usage',
    perPodMonthly: monthlyCost(meanUsage, prices),
    per100PodsMonthly: monthlyCostForPods(meanUsage, FLEET_PODS, prices),
    perPodMonthlyUsdSpread: spread(perPodByRepetition.map((u) => monthlyCost(u, prices).totalUsd)),
  };
}
