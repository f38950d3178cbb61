import type { Analysis, ModeTierAnalysis } from '../../analysis/types.js';
import type { PublishedFigure } from '../../modes/mode.js';
import { tableOf, type TableData } from '../shared/table.js';
import type { Section } from './sections.js';

/**
 * "Published figures": what each mesh's project publishes about itself (analysis.published), each beside this
 * run's comparable figure at the tier closest to the published rate. A section of its own in both reports,
 * labelled as published; the published values never enter a measured table, chart or cost.
 */
export interface PublishedRow {
  mode: string;
  figure: PublishedFigure;
  /** This run's comparable figure, in the published unit; null when the run has none (no samples, no baseline). */
  measured: number | null;
  /** The tier it comes from. */
  tier: string | null;
}

export const PUBLISHED_TITLE = 'Published figures (from the projects, not measured in this run)';
const INTRO =
  'What each mesh\u2019s project publishes about its own data plane, with the conditions and source it states, next to ' +
  'this run\u2019s comparable figure at the tier closest to the published rate. Environments, versions, payloads and ' +
  'harnesses differ: read them as orders of magnitude, never as a measurement of this run.';

function closestTier(analysis: Analysis, mode: string, rps: number): ModeTierAnalysis | undefined {
  const rows = analysis.results.filter((r) => r.mode === mode);
  const target = (r: ModeTierAnalysis) => analysis.tiers.find((t) => t.name === r.tier)?.targetRps ?? 0;
  return [...rows].sort((a, b) => Math.abs(target(a) - rps) - Math.abs(target(b) - rps))[0];
}

function measuredFor(row: ModeTierAnalysis, f: PublishedFigure): number | null {
  if (f.kind === 'added-latency') return row.overhead?.byPercentile[f.percentile ?? 'p50'].pointMs ?? null;
  const role = row.proxies.byRole.find((r) => r.role === f.role);
  if (!role) return null;
  if (f.kind === 'proxy-cpu')
    return role.cpuMillicoresPer1000Rps === null ? null : role.cpuMillicoresPer1000Rps / 1000;
  // MiB as measured; the projects' "MB" are close enough at these magnitudes to be shown side by side.
  return f.statistic === 'max' ? role.memMaxMiB : role.memMeanMiB;
}

/** Every published figure of the run's modes, each with this run's comparable figure. Pure. */
export function publishedRows(analysis: Analysis): PublishedRow[] {
  return (analysis.published ?? []).flatMap(({ mode, figures }) =>
    figures.map((figure) => {
      const row = closestTier(analysis, mode, figure.rps);
      return { mode, figure, measured: row ? measuredFor(row, figure) : null, tier: row?.tier ?? null };
    }),
  );
}

const unit = (f: PublishedFigure) =>
  f.kind === 'proxy-cpu'
    ? 'vCPU/1000 RPS'
    : f.kind === 'proxy-memory'
      ? f.statistic === 'max'
        ? 'MB max'
        : 'MB'
      : 'ms';
const measuredUnit = (f: PublishedFigure) =>
  f.kind === 'proxy-cpu'
    ? 'vCPU/1000 RPS'
    : f.kind === 'proxy-memory'
      ? f.statistic === 'max'
        ? 'MiB max'
        : 'MiB'
      : 'ms';
const num = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(2));

/** The comparison as a table (escaped by whichever serialiser prints it). */
export function publishedTable(rows: PublishedRow[]): TableData {
  return tableOf(
    ['mode', 'figure', 'published', 'this run (measured)', 'conditions', 'source'],
    rows.map((r) => {
      const f = r.figure;
      const measured =
        r.measured === null ? 'n/a' : `${num(r.measured)} ${measuredUnit(f)} (tier ${r.tier ?? '?'})`;
      return [
        r.mode,
        f.label,
        `${num(f.value)} ${unit(f)} at ${f.rps} RPS`,
        measured,
        f.conditions,
        `${f.source.title}: ${f.source.url}`,
      ];
    }),
  );
}

/** The section, for both reports; null when no mode of the run carries published figures. */
export function publishedSection(analysis: Analysis): Section | null {
  const rows = publishedRows(analysis);
  if (rows.length === 0) return null;
  return {
    id: 'published-figures',
    title: PUBLISHED_TITLE,
    blocks: [
      { kind: 'text', text: INTRO },
      { kind: 'table', table: publishedTable(rows) },
    ],
  };
}
