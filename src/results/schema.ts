import type { ModeName, ProxyRole, ProxyScope } from '../modes/mode.js';
import type { ResolvedSpec } from '../spec/schema.js';
import type { EncodedHistogram } from '../stats/histogram.js';
import type { RunOwner } from './run-owner.js';

/**
 * results.json: the one file everything after a run reads. Versioned: a reader refuses a schemaVersion it
 * does not know instead of guessing. Written atomically after every cell (see write.ts).
 */
export const RESULTS_SCHEMA = 'meshbench/results';
export const RESULTS_SCHEMA_VERSION = 1;

export type RunStatus = 'running' | 'complete' | 'interrupted' | 'failed';
export type CellStatus = 'ok' | 'failed' | 'skipped';

export type ErrorKind = 'timeout' | 'reset' | 'refused' | 'other';

/** What an engine returns for one tier against one target (DESIGN.md contract). */
export interface LatencyResult {
  /** Latency in microseconds. Builtin: from each request's intended send time (coordinated-omission corrected). */
  histogram: EncodedHistogram;
  /** Time from the actual send to the response (service time), microseconds. Absent when the engine cannot tell. */
  serviceHistogram?: EncodedHistogram;
  /** Whether `histogram` is timed from the intended send time of an open model. k6's http_req_duration is not. */
  coordinatedOmissionCorrected: boolean;
  /** Requests completed in the measure window (any outcome). */
  requests: number;
  /** Requests that got a 2xx/3xx. */
  ok: number;
  errors: {
    byStatus: Record<string, number>;
    byKind: Partial<Record<ErrorKind, number>>;
  };
  /** Arrivals that could not be sent because maxInFlight requests were already outstanding (k6: dropped_iterations). */
  dropped: number;
  targetRps: number;
  /** Completed requests per second of the measure window. */
  achievedRps: number;
  measureSeconds: number;
  /** k6 only (local engine and cluster Jobs): what k6 had to work with; absent for builtin and in older files. */
  k6?: K6LoadFigures;
}

/**
 * The figures that tell k6 being the bottleneck from the target being slow (src/engines/k6/diagnosis.ts): its VU
 * pool and its CPU. Summed over load pods on Kubernetes.
 */
export interface K6LoadFigures {
  /** VUs meshbench had k6 initialise before the test (preAllocatedVUs) and allow at most (maxVUs). */
  preAllocatedVUs: number;
  maxVUs: number;
  /** k6's vus_max at its highest: above preAllocatedVUs, k6 started VUs during the test. */
  vusMax?: number;
  /** k6 logged that the measure scenario had every one of its maxVUs busy ("Insufficient VUs"). */
  maxVUsReached?: boolean;
  cpu?: K6CpuFigures;
}

export interface K6CpuFigures {
  /** 'measure-window': /proc of the k6 process at the window's start and end (local); 'k6-run': the load pod's cgroup over k6's whole run. */
  span: 'measure-window' | 'k6-run';
  /** Wall seconds covered. */
  seconds: number;
  /** CPU seconds k6 used over them (all its threads). */
  k6CpuSeconds: number;
  /** CPU seconds the whole host was busy over the same span (local only): k6 shares the host with proxies and apps. */
  hostBusyCpuSeconds?: number;
  /** Cores k6 could use: the host's CPUs locally; the container's CPU limit (else the node's CPUs) in a cluster. */
  cores: number;
}

/** One reading of one proxy. */
export interface ProxySamplePoint {
  /** Milliseconds since the measure window started. */
  tMs: number;
  cpuMillicores: number;
  memMiB: number;
}

export interface ProxySamples {
  proxyId: string;
  points: ProxySamplePoint[];
}

/** A proxy charged to the mesh, as recorded (no pids or other live handles). */
export interface ProxyInfo {
  id: string;
  role: ProxyRole;
  scope: ProxyScope;
  /** Node it runs on (emulated locally). */
  node: string;
  /** Pod it belongs to, for scope 'pod'. */
  pod?: string;
  /** Proxy implementation and version, e.g. "haproxy 2.6.12" or "envoy 1.34.1". */
  implementation: string;
  /** Kubernetes: the proxy container's resource requests, from its pod spec (cost as requested, not as used). */
  requests?: ProxyResources;
  /** Kubernetes: the proxy container's resource limits, from its pod spec. */
  limits?: ProxyResources;
}

/** CPU and memory of a container's requests or limits; a field is absent when the spec leaves it unset. */
export interface ProxyResources {
  cpuMillicores?: number;
  memMiB?: number;
}

export interface PodInfo {
  name: string;
  role: 'client' | 'server';
  node: string;
}

/** What a mode looked like once deployed: the basis for sharing node and namespace proxies over pods. */
export interface ModeTopologyRecord {
  mode: ModeName;
  pods: PodInfo[];
  nodes: string[];
  proxies: ProxyInfo[];
  /** Request path as hops, for the report ("client -> haproxy(l7) -> ..."). */
  path: string[];
}

export interface CellResult {
  mode: ModeName;
  tier: string;
  /** 1-based. */
  repetition: number;
  /** Position in the executed order, 0-based. */
  index: number;
  status: CellStatus;
  error?: string;
  startedAt: string;
  finishedAt: string;
  latency?: LatencyResult;
  proxies?: ProxySamples[];
  /** Machine-readable warnings, e.g. 'rate-missed', 'dropped', 'errors'. */
  flags: string[];
}

export interface EnvironmentInfo {
  platform: 'local' | 'kubernetes';
  meshbenchVersion: string;
  node: string;
  os: string;
  kernel: string;
  hostname: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  engine: { name: 'builtin' | 'k6'; version: string };
  /** The proxy implementation that carried the traffic, e.g. {name:'haproxy', version:'2.6.12'}. */
  proxy: { name: string; version: string };
  /** Set for local runs: what was emulated and how (every report prints it). */
  emulation?: string;
  /** Set for local runs: which app server answered (its delay precision differs), in words for the report. */
  app?: { implementation: 'native' | 'node'; detail: string };
  /** Set for local runs: which CPUs the engine and the servers (apps, proxies) were pinned to, or why not. */
  cpuPinning?: { engineCpus: number[]; serverCpus: number[] } | { off: string };
  kubernetes?: {
    serverVersion?: string;
    context?: string;
    meshVersions?: Record<string, string>;
    nodeTypes?: string[];
  };
}

export interface PlanRecord {
  order: 'interleaved' | 'mode-major';
  /** Why the order differs from what the spec asked, if it does. */
  orderReason?: string;
  cells: { mode: ModeName; tier: string; repetition: number }[];
}

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  runId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  /** Why the run ended early, if it did. */
  error?: string;
  spec: ResolvedSpec;
  /** The process that wrote it while it ran: lets readers tell a killed run from a live one (run-owner.ts). */
  runner?: RunOwner;
  plan: PlanRecord;
  environment: EnvironmentInfo;
  topology: ModeTopologyRecord[];
  cells: CellResult[];
}
