import type { Analysis, ModeTierAnalysis, OverheadEstimate } from '../../analysis/types.js';
import { formatNumber, formatSigned, msDecimals, withFlags } from '../shared/format.js';
import { tableOf, type TableData } from '../shared/table.js';
import {
  mixesVariants,
  sameVariant,
  tierGroups,
  variantHeading,
  variantsOf,
  type TierGroup,
} from './tier-groups.js';

/**
 * The "By protocol and connection reuse" section: per mode, one table whose rows are loads (tiers of the same rate,
 * payload and connections, tier-groups.ts) and whose columns are the run's variants (HTTP/1.1 keep-alive, churn,
 * h2c, gRPC), so that what a protocol or a new connection per request costs through each mesh reads across a row.
 * Present only when a run mixes variants. Data, which sections.ts places and Markdown and HTML serialise alike.
 */
export const PROTOCOL_SECTION_TITLE = 'By protocol and connection reuse';
export const PROTOCOL_SECTION_ID = 'by-protocol';

export interface ProtocolSection {
  intro: string;
  tables: { mode: string; table: TableData }[];
}

function rowFor(analysis: Analysis, mode: string, tier: string): ModeTierAnalysis | undefined {
  return analysis.results.find((r) => r.mode === mode && r.tier === tier);
}

/** "+0.42 / +1.20", "~ +0.01 / +0.30" (the P50 figure not distinguishable from noise). */
function overheadPair(p50: OverheadEstimate, p99: OverheadEstimate): string {
  const d = msDecimals(p50.pointMs, p99.pointMs);
  // Marked only when an interval exists and contains 0; a single repetition has no interval to judge by.
  const one = (e: OverheadEstimate) =>
    `${e.ci && !e.distinguishable ? '~' : ''}${formatSigned(e.pointMs, d)}`;
  return `${one(p50)} / ${one(p99)}`;
}

function cell(analysis: Analysis, mode: string, tierName: string | undefined): string {
  if (tierName === undefined) return '\u2014';
  const row = rowFor(analysis, mode, tierName);
  if (!row) return 'not measured';
  if (mode === analysis.baselineMode || !analysis.baselineMode) {
    if (!row.latency) return withFlags('no data', row.flags);
    const { p50, p99 } = row.latency.mergedMs;
    const d = msDecimals(p50, p99);
    return withFlags(`${formatNumber(p50, d)} / ${formatNumber(p99, d)}`, row.flags);
  }
  if (!row.overhead) return withFlags('no data', row.flags);
  return withFlags(
    overheadPair(row.overhead.byPercentile.p50, row.overhead.byPercentile.p99),
    row.overhead.flags,
  );
}

/**
 * "500 RPS: medium, medium-h2"; when the group's tiers differ in payload or connections, each name says its own
 * ("50 RPS: low (256 B, 4 conn), low-churn (1024 B, 16 conn)"), since those differences are in the figures too.
 */
function loadLabel(g: TierGroup): string {
  const payloads = new Set(g.tiers.map((t) => t.payloadBytes)).size > 1;
  const conns = new Set(g.tiers.map((t) => t.connections)).size > 1;
  const name = (t: TierGroup['tiers'][number]): string => {
    const own = [...(payloads ? [`${t.payloadBytes} B`] : []), ...(conns ? [`${t.connections} conn`] : [])];
    return own.length > 0 ? `${t.name} (${own.join(', ')})` : t.name;
  };
  return `${formatNumber(g.targetRps, 0)} RPS: ${g.tiers.map(name).join(', ')}`;
}

/** The section's model, or undefined when every tier is of one variant (nothing to set side by side). */
export function protocolSection(analysis: Analysis): ProtocolSection | undefined {
  if (!mixesVariants(analysis.tiers)) return undefined;
  const variants = variantsOf(analysis.tiers);
  const groups = tierGroups(analysis.tiers);
  const header = ['rate: tiers', ...variants.map(variantHeading)];
  const tables = analysis.modes.map((mode) => ({
    mode,
    table: tableOf(
      header,
      groups.map((g) => [
        loadLabel(g),
        ...variants.map((v) => cell(analysis, mode, g.tiers.find((t) => sameVariant(t, v))?.name)),
      ]),
    ),
  }));
  const overhead = analysis.baselineMode
    ? `Other modes: P50 / P99 latency added over ${analysis.baselineMode} at the same tier (ms, from histograms merged over repetitions; ~ marks a figure whose interval contains 0, not distinguishable from noise; see the latency-added tables for the intervals). ${analysis.baselineMode}: its own P50 / P99 (ms).`
    : 'P50 / P99 latency (ms); the run has no baseline, so no overhead.';
  return {
    intro:
      'Tiers of the same target rate side by side, one column per protocol and connection reuse: keep-alive connections ' +
      'for the whole tier, or a new connection every N requests (N req/conn), whose latencies include connection ' +
      `set-up through the mesh. ${overhead} \u2014: the run has no such tier at that load.`,
    tables,
  };
}
