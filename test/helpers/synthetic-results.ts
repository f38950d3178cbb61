import { MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import { getMode } from '../../src/modes/registry.js';
import {
  RESULTS_SCHEMA,
  RESULTS_SCHEMA_VERSION,
  type CellResult,
  type CellStatus,
  type EnvironmentInfo,
  type ModeTopologyRecord,
  type PodInfo,
  type ProxyInfo,
  type ProxySamples,
  type ResultsFile,
  type RunStatus,
} from '../../src/results/schema.js';
import { DEFAULT_SPEC, DEFAULT_TIERS } from '../../src/spec/defaults.js';
import type { Prices, ResolvedSpec, Tier } from '../../src/spec/schema.js';
import {
  createHistogram,
  encodeHistogram,
  recordMicros,
  type EncodedHistogram,
} from '../../src/stats/histogram.js';
import { deriveSeed, mulberry32, randomNormal, type Rng } from '../../src/stats/prng.js';

/**
 * Synthetic results.json objects with known figures, for tests of everything after a run (analysis, reports,
 * compare, size). Deterministic: every cell draws from its own PRNG seeded by (seed, mode, tier, repetition),
 * so changing one cell's shape never shifts another cell's values.
 */

export interface CellKey {
  mode: ModeName;
  tier: string;
  repetition: number;
}

/** Latency values to record, microseconds. */
export type LatencyShape =
  | { kind: 'constant'; valueUs: number; count: number }
  | { kind: 'values'; valuesUs: readonly number[] }
  | { kind: 'uniform'; minUs: number; maxUs: number; count: number }
  | { kind: 'normal'; meanUs: number; sdUs: number; count: number }
  | { kind: 'lognormal'; medianUs: number; sigma: number; count: number };

/**
 * A proxy's usage: every sample point is this value, times (1 + jitter x N(0,1)) when jitter is set; or,
 * when a series is given, exactly that series (one point per value, overriding samplePoints).
 */
export interface ProxyLoad {
  cpuMillicores: number;
  memMiB: number;
  jitter?: number;
  cpuSeriesMillicores?: readonly number[];
  memSeriesMiB?: readonly number[];
}

export interface SyntheticCell {
  /** 'missing' leaves the cell out of results.cells, as an interrupted run does. */
  status: CellStatus | 'missing';
  error?: string;
  latency: LatencyShape;
  /** Service-time histogram; absent unless given. */
  serviceLatency?: LatencyShape;
  coordinatedOmissionCorrected: boolean;
  /** Default: the tier's target. */
  achievedRps?: number;
  /** Default: the number of latency values. */
  requests?: number;
  /** Requests answered 503; ok = requests - errors. Default 0. */
  errors: number;
  dropped: number;
  flags: string[];
  /** Default: DEFAULT_PROXY_LOAD by role. */
  proxyLoad?: ProxyLoad | ((proxy: ProxyInfo) => ProxyLoad);
  /** false: the cell has no proxy samples at all. Default true. */
  proxySamples: boolean;
}

export interface SyntheticOptions {
  modes?: ModeName[];
  /** Tiers by name; fields not given come from the default tier of that name, else from 'low'. */
  tiers?: (Partial<Tier> & { name: string })[];
  repetitions?: number;
  seed?: number;
  /** Server pods (the client is one more pod). */
  replicas?: number;
  nodes?: number;
  order?: 'interleaved' | 'mode-major';
  status?: RunStatus;
  prices?: Prices;
  platform?: 'local' | 'kubernetes';
  /** Emulation note; null for none. Default: a local-run note. */
  emulation?: string | null;
  /** Sample points per proxy per cell. */
  samplePoints?: number;
  latency?: LatencyShape | ((c: CellKey) => LatencyShape);
  proxyLoad?: ProxyLoad | ((proxy: ProxyInfo, c: CellKey) => ProxyLoad);
  /** Per-cell overrides of anything above. */
  cell?: (c: CellKey) => Partial<SyntheticCell>;
}

/** Defaults by role: round numbers so that expected totals can be worked out by hand. */
export const DEFAULT_PROXY_LOAD: Record<ProxyInfo['role'], ProxyLoad> = {
  'client-sidecar': { cpuMillicores: 50, memMiB: 40 },
  'server-sidecar': { cpuMillicores: 50, memMiB: 40 },
  'node-proxy': { cpuMillicores: 30, memMiB: 20 },
  waypoint: { cpuMillicores: 80, memMiB: 60 },
};

export const SYNTHETIC_EMULATION =
  'Local emulation: every mode runs as processes on 127.0.0.1 with HAProxy standing in for Envoy and ztunnel (synthetic).';

/** Default latency: 1 ms baseline, +0.25 ms per mode in MODE_NAMES order, sd 20 us, 1000 values. */
export function defaultLatency(c: CellKey): LatencyShape {
  return { kind: 'normal', meanUs: 1000 + 250 * MODE_NAMES.indexOf(c.mode), sdUs: 20, count: 1000 };
}

export function latencyValues(shape: LatencyShape, rng: Rng): number[] {
  switch (shape.kind) {
    case 'constant':
      return new Array<number>(shape.count).fill(shape.valueUs);
    case 'values':
      return [...shape.valuesUs];
    case 'uniform':
      return Array.from({ length: shape.count }, () => shape.minUs + rng() * (shape.maxUs - shape.minUs));
    case 'normal':
      return Array.from({ length: shape.count }, () =>
        Math.max(1, shape.meanUs + shape.sdUs * randomNormal(rng)),
      );
    case 'lognormal':
      return Array.from(
        { length: shape.count },
        () => shape.medianUs * Math.exp(shape.sigma * randomNormal(rng)),
      );
  }
}

export function histogramOf(values: readonly number[]): EncodedHistogram {
  const h = createHistogram();
  for (const v of values) recordMicros(h, v);
  return encodeHistogram(h);
}

/** The topology a platform would record for a mode: a client pod and `replicas` servers over `nodes` nodes. */
export function syntheticTopology(
  mode: ModeName,
  replicas = 2,
  nodes = 2,
  implementation = 'haproxy 2.6.12',
): ModeTopologyRecord {
  const nodeNames = Array.from({ length: nodes }, (_, i) => `node-${i + 1}`);
  const pods: PodInfo[] = [
    { name: 'client', role: 'client', node: nodeNames[0] ?? 'node-1' },
    ...Array.from({ length: replicas }, (_, i) => ({
      name: `server-${i}`,
      role: 'server' as const,
      node: nodeNames[i % nodes] ?? 'node-1',
    })),
  ];
  const t = getMode(mode).topology;
  const proxies: ProxyInfo[] = [];
  if (t.sidecar) {
    for (const p of pods) {
      const role = p.role === 'client' ? 'client-sidecar' : 'server-sidecar';
      proxies.push({
        id: `${mode}/sidecar/${p.name}`,
        role,
        scope: 'pod',
        node: p.node,
        pod: p.name,
        implementation,
      });
    }
  }
  if (t.nodeProxy) {
    for (const n of nodeNames) {
      proxies.push({
        id: `${mode}/node-proxy/${n}`,
        role: 'node-proxy',
        scope: 'node',
        node: n,
        implementation,
      });
    }
  }
  if (t.waypoint) {
    proxies.push({
      id: `${mode}/waypoint`,
      role: 'waypoint',
      scope: 'namespace',
      node: nodeNames[0] ?? 'node-1',
      implementation,
    });
  }
  const path = ['client', ...(t.sidecar ? ['client-sidecar'] : []), ...(t.nodeProxy ? ['ztunnel'] : [])];
  if (t.waypoint) path.push('waypoint');
  if (t.nodeProxy) path.push('ztunnel');
  if (t.sidecar) path.push('server-sidecar');
  path.push('app');
  return { mode, pods, nodes: nodeNames, proxies, path };
}

function resolveTiers(tiers: SyntheticOptions['tiers']): Tier[] {
  if (!tiers) return DEFAULT_TIERS.map((t) => ({ ...t }));
  return tiers.map((t) => {
    const base = DEFAULT_TIERS.find((d) => d.name === t.name) ?? DEFAULT_TIERS[0];
    if (!base) throw new Error('no default tiers');
    return { ...base, ...t };
  });
}

/** Cells in executed order: repetition, tier, then modes (rotated by repetition when interleaved). */
function planCells(
  modes: ModeName[],
  tiers: Tier[],
  repetitions: number,
  order: 'interleaved' | 'mode-major',
): CellKey[] {
  const out: CellKey[] = [];
  if (order === 'mode-major') {
    for (const mode of modes)
      for (let r = 1; r <= repetitions; r++)
        for (const t of tiers) out.push({ mode, tier: t.name, repetition: r });
    return out;
  }
  for (let r = 1; r <= repetitions; r++) {
    const rotated = modes.map((_, i) => modes[(i + r - 1) % modes.length] as ModeName);
    for (const t of tiers) for (const mode of rotated) out.push({ mode, tier: t.name, repetition: r });
  }
  return out;
}

function proxySamples(
  proxies: readonly ProxyInfo[],
  load: (p: ProxyInfo) => ProxyLoad,
  points: number,
  durationSec: number,
  rng: Rng,
): ProxySamples[] {
  return proxies.map((p) => {
    const l = load(p);
    const jitter = l.jitter ?? 0;
    const n = Math.max(l.cpuSeriesMillicores?.length ?? 0, l.memSeriesMiB?.length ?? 0) || points;
    const jittered = (v: number) => (jitter === 0 ? v : v * Math.max(0, 1 + jitter * randomNormal(rng)));
    return {
      proxyId: p.id,
      points: Array.from({ length: n }, (_, i) => ({
        tMs: Math.round(((i + 1) * durationSec * 1000) / n),
        cpuMillicores: l.cpuSeriesMillicores?.[i] ?? jittered(l.cpuMillicores),
        memMiB: l.memSeriesMiB?.[i] ?? jittered(l.memMiB),
      })),
    };
  });
}

const EPOCH_MS = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(EPOCH_MS + ms).toISOString();

export function syntheticResults(opts: SyntheticOptions = {}): ResultsFile {
  const modes = opts.modes ?? ['baseline', 'istio-sidecar', 'istio-ambient'];
  const tiers = resolveTiers(opts.tiers);
  const repetitions = opts.repetitions ?? 3;
  const seed = opts.seed ?? 1;
  const order = opts.order ?? 'interleaved';
  const samplePoints = opts.samplePoints ?? 8;
  const spec: ResolvedSpec = {
    ...DEFAULT_SPEC,
    name: 'synthetic',
    platform: opts.platform ?? 'local',
    engine: 'builtin',
    modes: [...modes],
    tiers,
    repetitions,
    order,
    seed,
    app: { replicas: opts.replicas ?? 2, delayMs: 0 },
    local: { ...DEFAULT_SPEC.local, nodes: opts.nodes ?? 2 },
    prices: opts.prices ?? { ...DEFAULT_SPEC.prices },
  };
  const topology = modes.map((m) => syntheticTopology(m, spec.app.replicas, spec.local.nodes));
  const planned = planCells(modes, tiers, repetitions, order);

  const cells: CellResult[] = [];
  let clockMs = 0;
  planned.forEach((key, index) => {
    const tier = tiers.find((t) => t.name === key.tier) as Tier;
    const topo = topology.find((t) => t.mode === key.mode) as ModeTopologyRecord;
    const rng = mulberry32(deriveSeed(seed, key.mode, key.tier, String(key.repetition)));
    const baseLatency =
      typeof opts.latency === 'function' ? opts.latency(key) : (opts.latency ?? defaultLatency(key));
    const cell: SyntheticCell = {
      status: 'ok',
      latency: baseLatency,
      coordinatedOmissionCorrected: true,
      errors: 0,
      dropped: 0,
      flags: [],
      proxySamples: true,
      ...(opts.cell?.(key) ?? {}),
    };
    const startedAt = iso(clockMs);
    clockMs += (tier.warmupSec + tier.durationSec) * 1000;
    const finishedAt = iso(clockMs);
    if (cell.status === 'missing') return;
    if (cell.status !== 'ok') {
      cells.push({
        mode: key.mode,
        tier: key.tier,
        repetition: key.repetition,
        index,
        status: cell.status,
        ...(cell.error !== undefined
          ? { error: cell.error }
          : cell.status === 'failed'
            ? { error: 'synthetic failure' }
            : {}),
        startedAt,
        finishedAt,
        flags: cell.flags,
      });
      return;
    }
    const values = latencyValues(cell.latency, rng);
    const requests = cell.requests ?? values.length;
    const cellLoad = cell.proxyLoad;
    const load = (p: ProxyInfo): ProxyLoad => {
      if (cellLoad) return typeof cellLoad === 'function' ? cellLoad(p) : cellLoad;
      if (opts.proxyLoad)
        return typeof opts.proxyLoad === 'function' ? opts.proxyLoad(p, key) : opts.proxyLoad;
      return DEFAULT_PROXY_LOAD[p.role];
    };
    cells.push({
      mode: key.mode,
      tier: key.tier,
      repetition: key.repetition,
      index,
      status: 'ok',
      startedAt,
      finishedAt,
      latency: {
        histogram: histogramOf(values),
        ...(cell.serviceLatency
          ? { serviceHistogram: histogramOf(latencyValues(cell.serviceLatency, rng)) }
          : {}),
        coordinatedOmissionCorrected: cell.coordinatedOmissionCorrected,
        requests,
        ok: requests - cell.errors,
        errors: { byStatus: cell.errors > 0 ? { '503': cell.errors } : {}, byKind: {} },
        dropped: cell.dropped,
        targetRps: tier.rps,
        achievedRps: cell.achievedRps ?? tier.rps,
        measureSeconds: tier.durationSec,
      },
      proxies: cell.proxySamples ? proxySamples(topo.proxies, load, samplePoints, tier.durationSec, rng) : [],
      flags: cell.flags,
    });
  });

  const emulation = opts.emulation === undefined ? SYNTHETIC_EMULATION : opts.emulation;
  const environment: EnvironmentInfo = {
    platform: spec.platform,
    meshbenchVersion: '0.0.0-synthetic',
    node: 'v20.18.0',
    os: 'linux',
    kernel: '6.1.0-synthetic',
    hostname: 'synthetic-host',
    cpuModel: 'Synthetic CPU @ 2.00GHz',
    cpus: 2,
    memoryGiB: 4,
    engine: { name: 'builtin', version: '0.1.0' },
    proxy: { name: 'haproxy', version: '2.6.12' },
    ...(emulation !== null ? { emulation } : {}),
  };
  return {
    schema: RESULTS_SCHEMA,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: `synthetic-${seed}`,
    status: opts.status ?? 'complete',
    startedAt: iso(0),
    finishedAt: iso(clockMs),
    spec,
    plan: { order, cells: planned.map((c) => ({ ...c })) },
    environment,
    topology,
    cells,
  };
}
