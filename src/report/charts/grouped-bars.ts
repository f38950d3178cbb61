import { modeColour } from './chart.js';

export interface GroupedBarsOptions {
  /** Field of the bar's value; lowField/highField draw a min-max whisker when both are given. */
  field: string;
  lowField?: string;
  highField?: string;
  /** Axis title, with its unit. */
  title: string;
  /** d3-format of axis labels and tooltips. */
  format: string;
  modes: readonly string[];
  tiers: readonly string[];
  legend: boolean;
  /** Tooltip fields beyond mode, tier and the value. */
  extraTooltip?: { field: string; title: string; format?: string }[];
}

/**
 * One panel of bars grouped by tier, one bar per mode in the report-wide mode colours, with an optional
 * whisker (min-max over repetitions). Used by the proxy-resource and cost charts.
 */
export function groupedBarsPanel(o: GroupedBarsOptions) {
  const x = { field: 'tierLabel', type: 'nominal' as const, sort: [...o.tiers], title: null, axis: { labelAngle: 0 } };
  const xOffset = { field: 'mode', type: 'nominal' as const, sort: [...o.modes] };
  const tooltip = [
    { field: 'mode', type: 'nominal' as const },
    { field: 'tierLabel', type: 'nominal' as const, title: 'tier' },
    { field: o.field, type: 'quantitative' as const, title: o.title, format: o.format },
    ...(o.lowField && o.highField
      ? [
          { field: o.lowField, type: 'quantitative' as const, title: 'min over repetitions', format: o.format },
          { field: o.highField, type: 'quantitative' as const, title: 'max over repetitions', format: o.format },
        ]
      : []),
    ...(o.extraTooltip ?? []).map((t) => ({ ...t, type: 'quantitative' as const })),
  ];
  const bars = {
    mark: { type: 'bar' as const, width: { band: 0.9 } },
    encoding: {
      x,
      xOffset,
      y: { field: o.field, type: 'quantitative' as const, title: o.title, axis: { format: o.format } },
      color: modeColour(o.modes, o.legend),
      tooltip,
    },
  };
  const whiskers =
    o.lowField && o.highField
      ? [
          {
            transform: [{ filter: `isValid(datum.${o.lowField}) && datum.${o.lowField} != datum.${o.highField}` }],
            mark: { type: 'rule' as const, color: '#24292f', strokeWidth: 1.2 },
            encoding: {
              x,
              xOffset,
              y: { field: o.lowField, type: 'quantitative' as const, title: o.title },
              y2: { field: o.highField },
            },
          },
        ]
      : [];
  return { width: 360, height: 220, layer: [bars, ...whiskers] };
}
