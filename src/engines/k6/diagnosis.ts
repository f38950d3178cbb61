import type { K6CpuFigures, K6LoadFigures, LatencyResult } from '../../results/schema.js';

/**
 * k6's guidance for load generators (grafana.com/docs/k6/latest/testing-guides/running-large-tests, "CPU"): keep
 * at least 20% of the CPU idle; a k6 without spare CPU falls behind its schedule and inflates response times. So a
 * host (or a k6 container) 80% busy or more over the measure window counts as short of CPU.
 */
export const K6_CPU_BUSY_LIMIT = 0.8;

/** What held k6 back: too few VUs to start the arrivals on time, or too little CPU to run them. */
export type K6Shortage = 'cpu' | 'vus';

export interface K6Diagnosis {
  /** Most likely first; empty when k6 had VUs and CPU to spare (or its CPU was not measured). */
  causes: K6Shortage[];
  /** What happened, with the figures: the symptom first, then one line on CPU and one on VUs. */
  findings: string[];
  /** What to change, one line per cause. */
  fixes: string[];
}

/** Cell flags for the causes, carried into results.json and every report. */
export const K6_SHORTAGE_FLAGS: Record<K6Shortage, string> = {
  cpu: 'k6-short-of-cpu',
  vus: 'k6-short-of-vus',
};

const fmt = (x: number, d = 1): string => (Math.round(x * 10 ** d) / 10 ** d).toString();
const pct = (x: number, d = 0): string => `${fmt(x * 100, d)}%`;

function cpuFinding(cpu: K6CpuFigures | undefined): { short: boolean; text: string } {
  if (cpu === undefined || cpu.seconds <= 0)
    return { short: false, text: 'CPU: not measured (no /proc, or k6 had exited before the window closed)' };
  const k6Cores = cpu.k6CpuSeconds / cpu.seconds;
  const k6Share = k6Cores / cpu.cores;
  let text =
    cpu.span === 'measure-window'
      ? `k6 used ${fmt(k6Cores, 2)} of the host's ${fmt(cpu.cores, 0)} cores over the measure window`
      : `k6 used ${fmt(k6Cores, 2)} cores of its ${fmt(cpu.cores)}-core limit over its whole run`;
  let short = k6Share >= K6_CPU_BUSY_LIMIT;
  if (cpu.hostBusyCpuSeconds !== undefined) {
    // The two /proc files are read a moment apart from the clock reading: clamp the share to 100%.
    const hostShare = Math.min(1, cpu.hostBusyCpuSeconds / (cpu.seconds * cpu.cores));
    text += ` while the host was ${pct(hostShare)} busy (proxies and apps included)`;
    short ||= hostShare >= K6_CPU_BUSY_LIMIT;
  }
  return {
    short,
    text: short
      ? `short of CPU: ${text}; k6 needs at least ${pct(1 - K6_CPU_BUSY_LIMIT)} idle to keep its schedule`
      : `CPU: ${text}: not the limit`,
  };
}

function vuFinding(k: K6LoadFigures, dropped: number): { short: boolean; capped: boolean; text: string } {
  const capped = k.maxVUsReached === true || (k.vusMax !== undefined && k.vusMax >= k.maxVUs && dropped > 0);
  if (capped)
    return {
      short: true,
      capped,
      text: `short of VUs: all ${k.maxVUs} VUs allowed (maxVUs, the tier's maxInFlight) were busy with requests, so k6 dropped the arrivals it had no VU for`,
    };
  if (k.vusMax === undefined)
    return {
      short: false,
      capped,
      text: `VUs: ${k.preAllocatedVUs} pre-allocated; vus_max was not recorded`,
    };
  const started = k.vusMax - k.preAllocatedVUs;
  if (started > 0)
    return {
      short: true,
      capped,
      text: `short of VUs: k6 pre-allocated ${k.preAllocatedVUs} VUs and started ${started} more during the test (vus_max ${k.vusMax}), one at a time, dropping the arrivals due meanwhile`,
    };
  return {
    short: false,
    capped,
    text: `VUs: vus_max stayed at the ${k.preAllocatedVUs} pre-allocated (maxVUs ${k.maxVUs}): enough`,
  };
}

/**
 * Why a k6 cell dropped arrivals or missed its rate, from what k6 had to work with (LatencyResult.k6): its VU pool
 * (vus_max against the pre-allocated VUs and maxVUs) and its CPU (its own CPU time, and the host's, against the
 * window and the cores), and what to change. Undefined for a cell without k6 figures or without such a problem.
 * A CPU-starved k6 also runs its iterations slower and so needs more VUs: CPU is then named first.
 */
export function diagnoseK6(l: LatencyResult, rateTolerance: number): K6Diagnosis | undefined {
  const k = l.k6;
  if (k === undefined) return undefined;
  const missed = l.targetRps > 0 && l.achievedRps < l.targetRps * (1 - rateTolerance);
  if (l.dropped === 0 && !missed) return undefined;
  const arrivals = l.requests + l.dropped;
  const symptom = [
    ...(l.dropped > 0
      ? [`k6 dropped ${l.dropped} of ${arrivals} arrivals (${pct(l.dropped / arrivals, 2)})`]
      : []),
    ...(missed ? [`achieved ${fmt(l.achievedRps)} of ${fmt(l.targetRps)} RPS`] : []),
  ].join('; ');
  const cpu = cpuFinding(k.cpu);
  const vus = vuFinding(k, l.dropped);
  const causes: K6Shortage[] = [
    ...(cpu.short ? (['cpu'] as const) : []),
    ...(vus.short ? (['vus'] as const) : []),
  ];
  const fixes: string[] = [];
  if (cpu.short)
    fixes.push(
      k.cpu?.span === 'k6-run'
        ? 'k6, not the mesh, is the bottleneck: raise kubernetes.clientResources.limits.cpu, or spread the load over more pods (kubernetes.k6Parallelism)'
        : 'k6, not the mesh, is the bottleneck: give it CPU (a host with more cores, fewer local.proxyThreads, or a lower rps), or use --engine builtin, which is lighter',
    );
  // A k6 short of CPU runs every request slower and so needs more VUs: more VUs come second, if at all.
  const then = cpu.short ? 'then, if k6 still drops arrivals: ' : '';
  if (vus.short && vus.capped)
    fixes.push(
      `${then}raise the tier's maxInFlight above ${k.maxVUs}; if requests really stay outstanding that long, the target is too slow for this rate (see its latency)`,
    );
  else if (vus.short && k.vusMax !== undefined)
    fixes.push(
      `${then}pre-allocate more VUs: set the tier's connections to ${2 * k.vusMax} or more (k6 grew to ${k.vusMax}; meshbench pre-allocates the larger of connections and rps x latency budget)`,
    );
  if (causes.length === 0)
    fixes.push(
      k.cpu === undefined
        ? 'k6 had VUs to spare; its CPU was not measured, so a CPU shortage cannot be ruled out'
        : "k6 had VUs and CPU to spare: the shortfall is the target's (errors, timeouts or latency), not k6's",
    );
  return { causes, findings: [symptom, cpu.text, vus.text], fixes };
}

/** The flags a k6 cell carries for its diagnosis ('k6-short-of-cpu', 'k6-short-of-vus'). */
export function k6ShortageFlags(l: LatencyResult, rateTolerance: number): string[] {
  return (diagnoseK6(l, rateTolerance)?.causes ?? []).map((c) => K6_SHORTAGE_FLAGS[c]);
}
