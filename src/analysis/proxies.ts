import type { ResourceUsage } from '../cost/resource-cost.js';
import type { ProxyScope } from '../modes/mode.js';
import type { ModeTopologyRecord, ProxyInfo, ProxySamplePoint } from '../results/schema.js';
import { mean, p95, spread } from '../stats/summary.js';
import type { OkCell } from './cells.js';
import type { NodeUsage, ProxyAnalysis, ProxyUsage, RoleUsage, UsageSpread } from './types.js';

const SCOPES: readonly ProxyScope[] = ['pod', 'node', 'namespace'];

/** One repetition's proxies: each proxy's mean usage over that repetition's measure window. */
interface RepetitionUsage {
  repetition: number;
  achievedRps: number;
  meanById: Map<string, ResourceUsage>;
}

export interface ProxyFigures {
  analysis: ProxyAnalysis;
  /** perPod usage of each repetition that has samples (the basis of cost and its spread). */
  perPodByRepetition: ResourceUsage[];
  warnings: string[];
}

function seriesMean(points: readonly ProxySamplePoint[]): ResourceUsage {
  // A plain mean of the points: samplers read at a fixed interval, so every point stands for an equal slice
  // of the measure window.
  return {
    cpuMillicores: mean(points.map((p) => p.cpuMillicores)),
    memMiB: mean(points.map((p) => p.memMiB)),
  };
}

function sumUsage(usages: Iterable<ResourceUsage>): ResourceUsage {
  let cpuMillicores = 0;
  let memMiB = 0;
  for (const u of usages) {
    cpuMillicores += u.cpuMillicores;
    memMiB += u.memMiB;
  }
  return { cpuMillicores, memMiB };
}

function usageSpread(values: readonly ResourceUsage[]): UsageSpread {
  return {
    cpuMillicores: spread(values.map((v) => v.cpuMillicores)),
    memMiB: spread(values.map((v) => v.memMiB)),
  };
}

function meanUsage(values: readonly ResourceUsage[]): ResourceUsage {
  return {
    cpuMillicores: mean(values.map((v) => v.cpuMillicores)),
    memMiB: mean(values.map((v) => v.memMiB)),
  };
}

function usageOf(rep: RepetitionUsage, proxies: readonly { id: string }[]): ResourceUsage {
  return sumUsage(proxies.flatMap((p) => rep.meanById.get(p.id) ?? []));
}

function collectRepetitions(
  cells: readonly OkCell[],
  topology: ModeTopologyRecord | undefined,
  label: string,
) {
  const warnings: string[] = [];
  const expected = topology?.proxies ?? [];
  const reps: RepetitionUsage[] = [];
  const pooled = new Map<string, ProxySamplePoint[]>();
  for (const cell of cells) {
    const series = (cell.proxies ?? []).filter((s) => s.points.length > 0);
    if (expected.length > 0 && series.length === 0) {
      warnings.push(`${label} repetition ${cell.repetition}: no proxy samples, left out of proxy figures`);
      continue;
    }
    const meanById = new Map<string, ResourceUsage>();
    for (const s of series) {
      meanById.set(s.proxyId, seriesMean(s.points));
      pooled.set(s.proxyId, [...(pooled.get(s.proxyId) ?? []), ...s.points]);
    }
    const missing = expected.filter((p) => !meanById.has(p.id)).map((p) => p.id);
    if (missing.length > 0) {
      warnings.push(
        `${label} repetition ${cell.repetition}: no samples for ${missing.join(', ')}; totals understate`,
      );
    }
    reps.push({ repetition: cell.repetition, achievedRps: cell.latency.achievedRps, meanById });
  }
  return { reps, pooled, warnings };
}

function proxyUsage(
  id: string,
  info: ProxyInfo | undefined,
  points: readonly ProxySamplePoint[],
): ProxyUsage {
  const cpu = points.map((p) => p.cpuMillicores);
  const mem = points.map((p) => p.memMiB);
  return {
    id,
    role: info?.role ?? 'unknown',
    scope: info?.scope ?? 'unknown',
    node: info?.node ?? null,
    pod: info?.pod ?? null,
    implementation: info?.implementation ?? null,
    samples: points.length,
    cpuMeanMillicores: mean(cpu),
    cpuP95Millicores: p95(cpu),
    cpuMaxMillicores: Math.max(...cpu),
    memMeanMiB: mean(mem),
    memMaxMiB: Math.max(...mem),
    requests: info?.requests ?? null,
    limits: info?.limits ?? null,
  };
}

function per1000(rep: RepetitionUsage, usage: ResourceUsage): ResourceUsage {
  return {
    cpuMillicores: (usage.cpuMillicores * 1000) / rep.achievedRps,
    memMiB: (usage.memMiB * 1000) / rep.achievedRps,
  };
}

function byRole(perProxy: readonly ProxyUsage[], reps: readonly RepetitionUsage[]): RoleUsage[] {
  const roles = [...new Set(perProxy.map((p) => p.role))];
  const withRate = reps.filter((r) => r.achievedRps > 0);
  return roles.map((role) => {
    const members = perProxy.filter((p) => p.role === role);
    return {
      role,
      scope: members[0]?.scope ?? 'unknown',
      count: members.length,
      cpuMeanMillicores: mean(members.map((m) => m.cpuMeanMillicores)),
      cpuP95Millicores: Math.max(...members.map((m) => m.cpuP95Millicores)),
      cpuMaxMillicores: Math.max(...members.map((m) => m.cpuMaxMillicores)),
      memMeanMiB: mean(members.map((m) => m.memMeanMiB)),
      memMaxMiB: Math.max(...members.map((m) => m.memMaxMiB)),
      cpuMillicoresPer1000Rps:
        withRate.length === 0
          ? null
          : mean(withRate.map((r) => per1000(r, usageOf(r, members)).cpuMillicores)),
    };
  });
}

function perNode(
  topologyProxies: readonly ProxyInfo[],
  reps: readonly RepetitionUsage[],
): ProxyAnalysis['perNode'] {
  const nodeProxies = topologyProxies.filter((p) => p.scope === 'node');
  if (nodeProxies.length === 0 || reps.length === 0) return null;
  const nodeNames = [...new Set(nodeProxies.map((p) => p.node))];
  const byRep = reps.map((r) =>
    nodeNames.map((n) =>
      usageOf(
        r,
        nodeProxies.filter((p) => p.node === n),
      ),
    ),
  );
  const nodes: NodeUsage[] = nodeNames.map((node, i) => ({
    node,
    ...meanUsage(byRep.map((usages) => usages[i] ?? { cpuMillicores: 0, memMiB: 0 })),
  }));
  return { nodes, mean: usageSpread(byRep.map((usages) => meanUsage(usages))) };
}

/**
 * CPU and memory of one mode's proxies at one tier over its ok repetitions. See ProxyAnalysis for how
 * shared proxies are charged to pods.
 */
export function analyzeProxies(
  cells: readonly OkCell[],
  topology: ModeTopologyRecord | undefined,
  label: string,
): ProxyFigures {
  const infos = topology?.proxies ?? [];
  const pods = topology?.pods.length ?? 0;
  const { reps, pooled, warnings } = collectRepetitions(cells, topology, label);
  const infoById = new Map(infos.map((p) => [p.id, p]));
  const unknownIds = [...pooled.keys()].filter((id) => !infoById.has(id)).sort();
  for (const id of unknownIds)
    warnings.push(`${label}: samples of proxy ${id}, which the topology does not list`);
  const ids = [...infos.map((p) => p.id).filter((id) => pooled.has(id)), ...unknownIds];
  const perProxy = ids.map((id) => proxyUsage(id, infoById.get(id), pooled.get(id) ?? []));

  const totals = reps.map((r) => sumUsage(r.meanById.values()));
  const perPodByRepetition =
    pods > 0 ? totals.map((t) => ({ cpuMillicores: t.cpuMillicores / pods, memMiB: t.memMiB / pods })) : [];
  const byScope = {} as Record<ProxyScope, ResourceUsage>;
  for (const scope of SCOPES) {
    const members = infos.filter((p) => p.scope === scope);
    const m =
      reps.length > 0 ? meanUsage(reps.map((r) => usageOf(r, members))) : { cpuMillicores: 0, memMiB: 0 };
    byScope[scope] = pods > 0 ? { cpuMillicores: m.cpuMillicores / pods, memMiB: m.memMiB / pods } : m;
  }
  const withRate = reps.map((r, i) => ({ r, t: totals[i] })).filter((x) => x.r.achievedRps > 0);

  const analysis: ProxyAnalysis = {
    count: infos.length,
    pods,
    nodes: topology?.nodes.length ?? 0,
    perProxy,
    byRole: byRole(perProxy, reps),
    total: reps.length > 0 ? usageSpread(totals) : null,
    perPod: perPodByRepetition.length > 0 ? { ...usageSpread(perPodByRepetition), byScope } : null,
    perNode: perNode(infos, reps),
    per1000Rps:
      withRate.length > 0
        ? usageSpread(withRate.map(({ r, t }) => per1000(r, t ?? { cpuMillicores: 0, memMiB: 0 })))
        : null,
  };
  return { analysis, perPodByRepetition, warnings };
}
