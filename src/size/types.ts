import type { CostBreakdown, ResourceUsage } from '../cost/resource-cost.js';
import type { ModeName } from '../modes/mode.js';
import type { RunStatus } from '../results/schema.js';
import type { Prices } from '../spec/schema.js';
import type { EnvoyToday, NodePool } from './inventory.js';
import type { MeasuredPoint } from './measure.js';
import type { ProxyModel } from './models.js';
import type { ProxyRow } from './proxy-rows.js';
import type { SizingSettings } from './settings.js';

/**
 * What `meshbench size` computes: everything the Markdown, CSV, HTML and JSON outputs show, already worked
 * out, so that renderers only format. Units in field names (Millicores, MiB, Usd); monthly = prices.hoursPerMonth.
 */
export const SIZING_SCHEMA = 'meshbench/sizing';
export const SIZING_SCHEMA_VERSION = 1;

export interface Totals {
  proxies: number;
  /** Sum of requests: what the nodes must hold for the proxies, and what the bill is based on. */
  reserved: ResourceUsage;
  limits: ResourceUsage;
  /** Sum of the model at average RPS. */
  expected: ResourceUsage;
  reservedMonthly: CostBreakdown;
  expectedMonthly: CostBreakdown;
}

/** A mode's reserved resources and cost minus today's App Mesh Envoys'. */
export interface ChangeVsToday {
  cpuMillicores: number;
  memMiB: number;
  monthlyUsd: number;
  /** monthlyUsd relative to today's monthly cost; null when today costs nothing. */
  relative: number | null;
}

export interface ModeSizing {
  mode: ModeName;
  title: string;
  rows: ProxyRow[];
  totals: Totals;
  change: ChangeVsToday;
  /** Rows sized beyond the measured RPS range. */
  extrapolatedAbove: number;
  extrapolatedBelow: number;
  models: ProxyModel[];
}

export interface TodayService {
  namespace: string;
  name: string;
  replicas: number;
  envoy: EnvoyToday;
  reserved: ResourceUsage;
}

/** Today's App Mesh Envoys: what the migration is compared against. */
export interface TodaySizing {
  services: TodayService[];
  proxies: number;
  reserved: ResourceUsage;
  reservedMonthly: CostBreakdown;
  /** Services whose Envoy requests (some or all) were not given: App Mesh's controller defaults assumed. */
  assumedDefaults: string[];
  /** Services without an Envoy today (from a cluster): they reserve nothing for a proxy. */
  notInMesh: string[];
}

export interface ResultsSource {
  /** As given on the command line. */
  path: string;
  runId: string;
  specName: string;
  status: RunStatus;
  platform: 'local' | 'kubernetes';
  /** "haproxy 2.6.12", "envoy 1.34.1": what was measured. */
  proxy: string;
  /** A local run's note on what it emulated; null for a cluster run. */
  emulation: string | null;
  startedAt: string;
}

export interface ExtrapolatedRow {
  mode: ModeName;
  kind: ProxyRow['kind'];
  name: string;
  namespace: string | null;
  peakRps: number;
  above: boolean;
  below: boolean;
  rpsMin: number;
  rpsMax: number;
}

export interface SizingReport {
  schema: typeof SIZING_SCHEMA;
  schemaVersion: typeof SIZING_SCHEMA_VERSION;
  inventory: {
    source: string;
    placement: 'derived' | 'observed';
    services: number;
    pods: number;
    namespaces: number;
    nodes: number;
    pools: NodePool[];
    notes: string[];
  };
  settings: SizingSettings;
  prices: Prices;
  results: ResultsSource[];
  models: ProxyModel[];
  /** The measurements the models were fitted to, each traceable to its results file, tier and proxy. */
  points: MeasuredPoint[];
  modes: ModeSizing[];
  /** Modes asked for (or measured) that could not be sized, and why. */
  unsized: { mode: ModeName; reason: string }[];
  today: TodaySizing;
  /** Every row sized beyond (above or below) its model's measured RPS range, over all modes. */
  extrapolated: ExtrapolatedRow[];
  /** Every assumption the figures rest on, one sentence each: printed with every output. */
  assumptions: string[];
  warnings: string[];
}
