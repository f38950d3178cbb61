import type { Prices } from '../spec/schema.js';

/**
 * What a workload (a pod's share of proxies, a node's proxies) uses on average: the basis of its cost.
 * Millicores and MiB, the units Kubernetes requests and the samplers use.
 */
export interface ResourceUsage {
  cpuMillicores: number;
  memMiB: number;
}

/** A cost split into its CPU and memory parts, USD. */
export interface CostBreakdown {
  cpuUsd: number;
  memUsd: number;
  totalUsd: number;
}

/** 1 vCPU = 1000 millicores (Kubernetes CPU units). */
export function millicoresToVcpu(millicores: number): number {
  return millicores / 1000;
}

/** 1 GiB = 1024 MiB (Kubernetes Mi/Gi are binary units, as OpenCost's per-GiB-hour price is). */
export function mibToGib(mib: number): number {
  return mib / 1024;
}

/** Cost of holding `usage` for one hour at `prices`. */
export function hourlyCost(usage: ResourceUsage, prices: Prices): CostBreakdown {
  const cpuUsd = millicoresToVcpu(usage.cpuMillicores) * prices.vcpuHourUsd;
  const memUsd = mibToGib(usage.memMiB) * prices.gibHourUsd;
  return { cpuUsd, memUsd, totalUsd: cpuUsd + memUsd };
}

/**
 * Monthly cost = (vCPU x $/vCPU-h + GiB x $/GiB-h) x hours per month, the way OpenCost allocates cost to a
 * workload from its usage. Example at OpenCost's default prices: 100 millicores and 64 MiB cost
 * 0.1 x 0.031611 x 730 + 0.0625 x 0.004237 x 730 = 2.3076 + 0.1933 = 2.5009 USD a month.
 */
export function monthlyCost(usage: ResourceUsage, prices: Prices): CostBreakdown {
  return scaleCost(hourlyCost(usage, prices), prices.hoursPerMonth);
}

/** A cost multiplied by a count (pods, nodes) or a duration factor. */
export function scaleCost(cost: CostBreakdown, factor: number): CostBreakdown {
  return { cpuUsd: cost.cpuUsd * factor, memUsd: cost.memUsd * factor, totalUsd: cost.totalUsd * factor };
}

/** Monthly cost of `pods` pods that each use `perPod`. */
export function monthlyCostForPods(perPod: ResourceUsage, pods: number, prices: Prices): CostBreakdown {
  return scaleCost(monthlyCost(perPod, prices), pods);
}
