import type { Analysis, ModeTierAnalysis, OverheadEstimate } from '../analysis/types.js';
import { formatNumber, formatSigned, markdownTable, msDecimals, withFlags } from './format.js';
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
 * Present only when a run mixes variants. A model, which Markdown and HTML serialise alike.
 */
export const PROTOCOL_SECTION_TITLE = 'By protocol and connection reuse';
export const PROTOCOL_SECTION_ID = 'by-protocol';

export interface ProtocolSection {
  intro: string;
  tables: { mode: string; table: string }[];
}

function rowFor(analysis: Analysis, mode: string, tier: string): ModeTierAnalysis | undefined {
  return analysis.results.find((r) => r.mode === mode && r.tier === tier);
}

/** "+0.42 / +1.20", "~ +0.01 / +0.30" (the P50 figure not distinguishable from noise). */
function overheadPair(p50: OverheadEstimate, p99: OverheadEstimate): string {
  const d = msDecimals(p50.pointMs, p99.pointMs);
  const one = (e: OverheadEstimate) => `${e.distinguishable ? '' : '~'}${formatSigned(e.pointMs, d)}`;
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

function loadLabel(g: TierGroup, groups: readonly TierGroup[]): string {
  const payloads = new Set(groups.map((x) => x.payloadBytes)).size > 1;
  const conns = new Set(groups.map((x) => x.connections)).size > 1;
  const load = [
    `${formatNumber(g.targetRps, 0)} RPS`,
    ...(payloads ? [`${g.payloadBytes} B`] : []),
    ...(conns ? [`${g.connections} conn`] : []),
  ].join(', ');
  return `${load}: ${g.tiers.map((t) => t.name).join(', ')}`;
}

/** The section's model, or undefined when every tier is of one variant (nothing to set side by side). */
export function protocolSection(analysis: Analysis): ProtocolSection | undefined {
  if (!mixesVariants(analysis.tiers)) return undefined;
  const variants = variantsOf(analysis.tiers);
  const groups = tierGroups(analysis.tiers);
  const header = ['load: tiers', ...variants.map(variantHeading)];
  const tables = analysis.modes.map((mode) => ({
    mode,
    table: markdownTable(
      header,
      groups.map((g) => [
        loadLabel(g, groups),
        ...variants.map((v) => cell(analysis, mode, g.tiers.find((t) => sameVariant(t, v))?.name)),
      ]),
    ),
  }));
  const overhead = analysis.baselineMode
    ? `Other modes: P50 / P99 latency added over ${analysis.baselineMode} at the same tier (ms, from histograms merged over repetitions; ~ marks a figure not distinguishable from noise, see the latency-added tables for intervals). ${analysis.baselineMode}: its own P50 / P99 (ms).`
    : 'P50 / P99 latency (ms); the run has no baseline, so no overhead.';
  return {
    intro:
      'Tiers of the same load side by side, one column per protocol and connection reuse: keep-alive connections ' +
      'for the whole tier, or a new connection every N requests (N req/conn), whose latencies include connection ' +
      `set-up through the mesh. ${overhead} \u2014: the run has no such tier at that load.`,
    tables,
  };
}

export function protocolSectionMarkdown(analysis: Analysis): string[] {
  const s = protocolSection(analysis);
  if (!s) return [];
  return [
    '',
    `## ${PROTOCOL_SECTION_TITLE}`,
    '',
    s.intro,
    ...s.tables.flatMap((t) => ['', `### ${t.mode}`, '', t.table]),
  ];
}
