import { monthlyCost, type ResourceUsage } from '../cost/resource-cost.js';
import type { ModeName } from '../modes/mode.js';
import { getMode, modes as defaultRegistry, type ModeRegistry } from '../modes/registry.js';
import type { Prices } from '../spec/schema.js';
import { assumptionsOf } from './assumptions.js';
import { serviceKey, type Inventory } from './inventory.js';
import type { MeasuredPoint } from './measure.js';
import type { ProxyModel } from './models.js';
import { kindLabel, kindsOfMode } from './proxy-kind.js';
import { nodeProxyRow, sidecarRows, waypointRows, type ProxyRow } from './proxy-rows.js';
import type { SizingSettings } from './settings.js';
import {
  SIZING_SCHEMA,
  SIZING_SCHEMA_VERSION,
  type ExtrapolatedRow,
  type ModeSizing,
  type ResultsSource,
  type SizingReport,
  type TodaySizing,
  type Totals,
} from './types.js';

export interface SizeInput {
  inventory: Inventory;
  models: readonly ProxyModel[];
  /** The measurements behind the models, kept in the report for traceability and the models chart. */
  points?: readonly MeasuredPoint[];
  /** Modes to size, in output order. */
  modes: readonly ModeName[];
  settings: SizingSettings;
  prices: Prices;
  results: readonly ResultsSource[];
  /** Warnings gathered before sizing (measurement, settings). */
  warnings?: readonly string[];
  registry?: ModeRegistry;
}

const ZERO: ResourceUsage = { cpuMillicores: 0, memMiB: 0 };
const add = (a: ResourceUsage, b: ResourceUsage): ResourceUsage => ({
  cpuMillicores: a.cpuMillicores + b.cpuMillicores,
  memMiB: a.memMiB + b.memMiB,
});
const sum = (xs: readonly ResourceUsage[]): ResourceUsage => xs.reduce(add, ZERO);

export function todaySizing(inv: Inventory, prices: Prices): TodaySizing {
  const services = inv.services.map((svc) => ({
    namespace: svc.namespace,
    name: svc.name,
    replicas: svc.replicas,
    envoy: svc.envoy,
    reserved: {
      cpuMillicores: svc.replicas * svc.envoy.requests.cpuMillicores,
      memMiB: svc.replicas * svc.envoy.requests.memMiB,
    },
  }));
  const reserved = sum(services.map((s) => s.reserved));
  return {
    services,
    proxies: inv.services.filter((s) => s.envoy.source !== 'none').reduce((t, s) => t + s.replicas, 0),
    reserved,
    reservedMonthly: monthlyCost(reserved, prices),
    assumedDefaults: inv.services.filter((s) => s.envoy.assumed.length > 0).map(serviceKey),
    notInMesh: inv.services.filter((s) => s.envoy.source === 'none').map(serviceKey),
  };
}

function totalsOf(rows: readonly ProxyRow[], prices: Prices): Totals {
  const reserved = sum(rows.map((r) => r.reserved));
  const expected = sum(rows.map((r) => r.expected));
  return {
    proxies: rows.reduce((t, r) => t + r.instances, 0),
    reserved,
    limits: sum(rows.map((r) => r.limitsTotal)),
    expected,
    reservedMonthly: monthlyCost(reserved, prices),
    expectedMonthly: monthlyCost(expected, prices),
  };
}

function sizeMode(
  mode: ModeName,
  input: SizeInput,
  today: TodaySizing,
  registry: ModeRegistry,
): { sizing: ModeSizing } | { reason: string } {
  const def = getMode(mode, registry);
  const kinds = kindsOfMode(def);
  if (kinds.length === 0) return { reason: 'the mode has no proxies to size' };
  const models = kinds.map((k) => input.models.find((m) => m.mode === mode && m.kind === k));
  const missing = kinds.filter((_, i) => !models[i]);
  if (missing.length > 0) {
    return {
      reason: `no measurements of its ${missing.map(kindLabel).join(' and ')} in the results files; run it with \`meshbench run --modes ${mode}\` and pass that results.json too`,
    };
  }
  const rows: ProxyRow[] = [];
  kinds.forEach((kind, i) => {
    const model = models[i] as ProxyModel;
    // Loops, not push(...rows): an argument list of 100,000 rows overflows the stack.
    if (kind === 'sidecar')
      for (const r of sidecarRows(mode, model, input.inventory, input.settings)) rows.push(r);
    else if (kind === 'node-proxy') rows.push(nodeProxyRow(def, model, input.inventory, input.settings));
    else for (const r of waypointRows(def, model, input.inventory, input.settings)) rows.push(r);
  });
  const totals = totalsOf(rows, input.prices);
  const monthlyUsd = totals.reservedMonthly.totalUsd - today.reservedMonthly.totalUsd;
  return {
    sizing: {
      mode,
      title: def.title,
      rows,
      totals,
      change: {
        cpuMillicores: totals.reserved.cpuMillicores - today.reserved.cpuMillicores,
        memMiB: totals.reserved.memMiB - today.reserved.memMiB,
        monthlyUsd,
        relative: today.reservedMonthly.totalUsd > 0 ? monthlyUsd / today.reservedMonthly.totalUsd : null,
      },
      extrapolatedAbove: rows.filter((r) => r.extrapolation.above).length,
      extrapolatedBelow: rows.filter((r) => r.extrapolation.below).length,
      models: models as ProxyModel[],
    },
  };
}

function extrapolatedRows(modes: readonly ModeSizing[]): ExtrapolatedRow[] {
  return modes.flatMap((m) =>
    m.rows
      .filter((r) => r.extrapolation.above || r.extrapolation.below)
      .map((r) => ({
        mode: r.mode,
        kind: r.kind,
        name: r.name,
        namespace: r.namespace,
        peakRps: r.peakRps,
        above: r.extrapolation.above,
        below: r.extrapolation.below,
        rpsMin: r.extrapolation.rpsMin,
        rpsMax: r.extrapolation.rpsMax,
      })),
  );
}

/**
 * Sizes an inventory for every requested mode: requests and limits per proxy, totals reserved and expected
 * in use, monthly cost, and the change against today's App Mesh Envoys. Pure: the same inputs give the same
 * report.
 */
export function sizeInventory(input: SizeInput): SizingReport {
  const registry = input.registry ?? defaultRegistry;
  const today = todaySizing(input.inventory, input.prices);
  const sized: ModeSizing[] = [];
  const unsized: SizingReport['unsized'] = [];
  for (const mode of input.modes) {
    const r = sizeMode(mode, input, today, registry);
    if ('sizing' in r) sized.push(r.sizing);
    else unsized.push({ mode, reason: r.reason });
  }
  const inv = input.inventory;
  const report: SizingReport = {
    schema: SIZING_SCHEMA,
    schemaVersion: SIZING_SCHEMA_VERSION,
    inventory: {
      source: inv.source,
      placement: inv.placement,
      services: inv.services.length,
      pods: inv.services.reduce((t, s) => t + s.replicas, 0),
      namespaces: new Set(inv.services.map((s) => s.namespace)).size,
      nodes: inv.nodes.length,
      pools: inv.pools.map((p) => ({ ...p })),
      notes: [...inv.notes],
    },
    settings: input.settings,
    prices: input.prices,
    results: [...input.results],
    models: sized.flatMap((m) => m.models),
    points: (input.points ?? []).filter((p) => sized.some((m) => m.mode === p.mode)),
    modes: sized,
    unsized,
    today,
    extrapolated: extrapolatedRows(sized),
    assumptions: [],
    warnings: [...(input.warnings ?? [])],
  };
  report.assumptions = assumptionsOf(report);
  return report;
}
