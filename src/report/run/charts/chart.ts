import type { TopLevelSpec } from 'vega-lite';
import type { Analysis, TierSummary } from '../../../analysis/types.js';
import { formatNumber } from '../../shared/format.js';
import { modeColourScale } from '../../shared/mode-colours.js';

/** The charts a report draws; the id is also the file stem (charts/<id>.svg, charts/<id>.vl.json). */
export type ChartId = 'latency-added' | 'latency-spectrum' | 'proxy-resources' | 'cost' | 'load';

export interface ChartDefinition {
  id: ChartId;
  /** Heading above the chart, and its label in report.md. */
  title: string;
  /** What the marks mean, for the caption and the SVG's alt text. */
  description: string;
  spec: TopLevelSpec;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/**
 * Shared look. A white background so the static SVGs stay readable on dark-themed GitHub/GitLab pages (an
 * SVG's transparent background shows the page's dark colour through); the system font stack of the HTML page.
 */
export const CHART_CONFIG: NonNullable<TopLevelSpec['config']> = {
  background: 'white',
  padding: 8,
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  view: { stroke: '#d0d7de' },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    titleColor: '#24292f',
    labelColor: '#3d444d',
    gridColor: '#eaeef2',
    domainColor: '#8c959f',
    tickColor: '#8c959f',
  },
  header: { labelFontSize: 13, labelFontWeight: 'bold', titleFontSize: 13, titleFontWeight: 'normal' },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', orient: 'top', labelLimit: 320 },
  title: { fontSize: 16, subtitleFontSize: 12.5, subtitleColor: '#57606a', anchor: 'start', offset: 12 },
  bar: { cornerRadiusEnd: 1 },
};

/** "low (50 RPS)": the same label as the columns of the "latency added" tables. */
export function tierLabel(t: TierSummary): string {
  return `${t.name} (${formatNumber(t.targetRps, 0)} RPS)`;
}

/** Tier labels in the spec's order, for sort orders of facets and axes. */
export function tierLabels(analysis: Analysis): string[] {
  return analysis.tiers.map(tierLabel);
}

export function tierLabelOf(analysis: Analysis, tier: string): string {
  const t = analysis.tiers.find((x) => x.name === tier);
  return t ? tierLabel(t) : tier;
}

/** Modes in spec order that occur in `rows`: each chart's legend lists only what it draws. */
export function modesIn(analysis: Analysis, rows: readonly { mode: string }[]): string[] {
  const present = new Set(rows.map((r) => r.mode));
  return analysis.modes.filter((m) => present.has(m));
}

/** Colour by mode with the report-wide colour per mode. */
export function modeColour(modes: readonly string[]) {
  return {
    field: 'mode',
    type: 'nominal' as const,
    scale: modeColourScale(modes),
    sort: [...modes],
    legend: { title: 'mode' },
  };
}
