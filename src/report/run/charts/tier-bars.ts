import type { GenericFacetSpec, LayerSpec, UnitSpec } from 'vega-lite/build/src/spec/index.js';
import type { Field } from 'vega-lite/build/src/channeldef.js';
import { modeColour } from './chart.js';

/** A layer of a chart panel (Vega-Lite's own type, so that a wrong property fails to compile). */
export type PanelLayer = LayerSpec<Field> | UnitSpec<Field>;
export type FacetPanel = GenericFacetSpec<UnitSpec<Field>, LayerSpec<Field>, Field>;

export interface TooltipField {
  field: string;
  type: 'nominal' | 'quantitative';
  title?: string;
  format?: string;
}

/** Fades bars by a nominal field (e.g. "within noise"). */
export interface OpacityByField {
  field: string;
  type: 'nominal';
  sort: string[];
  scale: { domain: string[]; range: number[] };
  legend: { title: string };
}

export interface TierBarsOptions {
  /** Field of the bar's value. */
  field: string;
  /** Whisker from lowField to highField, where both are valid. */
  lowField?: string;
  highField?: string;
  /** Axis title, with its unit. */
  title: string;
  /** d3-format of the axis labels. */
  format?: string;
  modes: readonly string[];
  /** Tier labels in order: one row each. */
  tiers: readonly string[];
  /**
   * Each tier on its own value scale. For figures that grow or shrink with the rate (per 1000 RPS, cost, RPS
   * itself), a shared scale would flatten the higher tiers' bars to nothing; every row then gets its own axis.
   */
  independentScales: boolean;
  tooltip: TooltipField[];
  opacity?: OpacityByField;
  /** Drawn on top, in each tier's row (e.g. reference lines). */
  extraLayers?: PanelLayer[];
  width?: number;
}

/**
 * One panel of horizontal bars: a row per tier, a bar per mode in the report-wide mode colours (the mode's
 * name on the axis, readable without the legend), an optional whisker (min-max or an interval), a rule at 0.
 */
export function tierBarsPanel(o: TierBarsOptions): FacetPanel {
  const y = { field: 'mode', type: 'nominal' as const, sort: [...o.modes], title: null };
  const x = {
    type: 'quantitative' as const,
    title: o.title,
    ...(o.format ? { axis: { format: o.format } } : {}),
  };
  const bars: PanelLayer = {
    mark: { type: 'bar' as const, height: { band: 0.72 } },
    encoding: {
      y,
      x: { ...x, field: o.field },
      color: modeColour(o.modes),
      ...(o.opacity ? { opacity: o.opacity } : {}),
      tooltip: o.tooltip,
    },
  };
  // A plain rule, not Vega-Lite's errorbar with end ticks: where min = max (one repetition, or no spread) it
  // has zero length and vanishes, instead of putting a tick on every bar; filtering those rows out instead
  // leaves some facet cells without data, which Vega warns about ("infinite extent").
  const whiskers: PanelLayer[] =
    o.lowField && o.highField
      ? [
          {
            transform: [{ filter: `isValid(datum.${o.lowField}) && isValid(datum.${o.highField})` }],
            mark: { type: 'rule', color: '#24292f', strokeWidth: 1.5 },
            encoding: { y, x: { ...x, field: o.lowField }, x2: { field: o.highField } },
          },
        ]
      : [];
  const zero: PanelLayer = {
    mark: { type: 'rule' as const, color: '#57606a', strokeWidth: 1 },
    encoding: { x: { datum: 0 } },
  };
  return {
    facet: {
      row: {
        field: 'tierLabel',
        type: 'nominal' as const,
        sort: [...o.tiers],
        title: null,
        header: { labelAngle: 0, labelAlign: 'left' as const, labelOrient: 'top' as const, labelPadding: 4 },
      },
    },
    spec: {
      width: o.width ?? 380,
      height: { step: 20 },
      layer: [bars, ...whiskers, zero, ...(o.extraLayers ?? [])],
    },
    ...(o.independentScales ? { resolve: { scale: { x: 'independent' as const } } } : {}),
  };
}
