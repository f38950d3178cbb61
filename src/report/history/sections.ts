import type { History, HistorySeries } from '../../history/types.js';
import { formatChange, formatRelative, formatValue } from '../shared/metric-format.js';
import { tableOf, type TableData } from '../shared/table.js';
import { WARNING_SIGN, type Align } from '../shared/format.js';
import type { Inline, ListItem } from '../shared/list.js';

/**
 * The history report, once, as data: history.md and history.html serialise the same title, sentence, tables
 * and warnings, so neither carries a copy of the other's prose. The page also draws each metric's chart
 * where history.md has only its table (a sparkline per series).
 */
export type HistoryBlock =
  /** meshbench's own sentence. */
  | { kind: 'text'; text: string }
  /** `rowClass`: a class per row for the page (a change point's kind, coloured there). */
  | { kind: 'table'; table: TableData; rowClass?: readonly (string | null)[] }
  /** Warnings about nights left out or series cut short (text from the files read, as data). */
  | { kind: 'warnings'; items: ListItem[] }
  /** A chart of history/charts.ts (id), drawn by the page only. */
  | { kind: 'chart'; chart: string };

export interface HistorySection {
  id: string;
  title: string;
  blocks: HistoryBlock[];
}

export interface HistoryPage {
  /** Spec names and times come from the files read: data, escaped by each serialiser. */
  title: Inline[];
  intro: Inline[];
  sections: HistorySection[];
}

const BARS = ['\u2581', '\u2582', '\u2583', '\u2584', '\u2585', '\u2586', '\u2587', '\u2588'];

/**
 * One character per night. The scale spans the series' min to max, but never less than a tenth of its
 * largest magnitude: otherwise a flat series would draw its last-digit jitter as full-height swings.
 */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const minSpan = 0.1 * Math.max(...values.map(Math.abs));
  const top = BARS.length - 1;
  // A series that moves by more than the minimum span fills the bars from its min to its max; a flatter one
  // is drawn around the middle bar at the minimum span's scale, so its last-digit jitter stays one height.
  const position =
    hi - lo >= minSpan && hi > lo
      ? (v: number) => ((v - lo) / (hi - lo)) * top
      : (v: number) => (minSpan === 0 ? 3 : 3 + ((v - (lo + hi) / 2) / minSpan) * top);
  return values.map((v) => BARS[Math.max(0, Math.min(top, Math.round(position(v))))]).join('');
}

/** At most this many nights in a sparkline: the newest ones. */
export const SPARK_NIGHTS = 60;

function runLabel(h: History, run: number): string {
  const r = h.runs[run];
  return r ? `${r.startedAt.slice(0, 10)} ${r.runId}` : `#${run}`;
}

function changePointBlock(h: History): HistoryBlock {
  const changes = h.series.flatMap((s) => s.changePoints.map((c) => ({ s, c })));
  if (changes.length === 0) return { kind: 'text', text: 'None found.' };
  return {
    kind: 'table',
    table: tableOf(
      ['', 'metric', 'mode', 'tier', 'first run at new level', 'before', 'after', 'change'],
      changes.map(({ s, c }) => [
        c.kind === 'regression' ? `\u25b2 regression` : `\u25bc improvement`,
        s.label,
        s.mode,
        s.tier,
        runLabel(h, c.run),
        formatValue(s.unit, c.before),
        formatValue(s.unit, c.after),
        `${formatChange(s.unit, c.change)} (${formatRelative(c.relativeChange)})`,
      ]),
      ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right'],
    ),
    rowClass: changes.map(({ c }) => c.kind),
  };
}

function seriesRow(h: History, s: HistorySeries): string[] {
  const values = s.points.map((p) => p.value);
  const latest = s.points[s.points.length - 1];
  const first = s.points[0];
  return [
    s.mode,
    s.tier,
    String(s.points.length),
    first ? formatValue(s.unit, first.value) : 'n/a',
    latest ? formatValue(s.unit, latest.value) : 'n/a',
    formatValue(s.unit, Math.min(...values)),
    formatValue(s.unit, Math.max(...values)),
    sparkline(values.slice(-SPARK_NIGHTS)),
    s.changePoints
      .map(
        (c) =>
          `${c.kind === 'regression' ? '\u25b2' : '\u25bc'} ${h.runs[c.run]?.startedAt.slice(0, 10) ?? ''}`,
      )
      .join(', '),
  ];
}

const SERIES_ALIGN: Align[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'];

/**
 * The history as data: change points first, warnings, then a section per metric (its table, and on the page
 * its chart, `chartIds` keyed by metric), then the runs read.
 */
export function historySections(h: History, chartIds: ReadonlyMap<string, string> = new Map()): HistoryPage {
  const first = h.runs[0];
  const last = h.runs[h.runs.length - 1];
  const specs = [...new Set(h.runs.map((r) => r.specName))];
  const sections: HistorySection[] = [
    { id: 'change-points', title: 'Change points', blocks: [changePointBlock(h)] },
  ];
  if (h.warnings.length > 0)
    sections.push({
      id: 'warnings',
      title: 'Warnings',
      blocks: [
        { kind: 'warnings', items: h.warnings.map((w) => ({ content: [`${WARNING_SIGN} `, { data: w }] })) },
      ],
    });
  for (const metric of [...new Set(h.series.map((s) => s.metric))]) {
    const series = h.series.filter((s) => s.metric === metric);
    const chart = chartIds.get(metric);
    sections.push({
      id: `metric-${metric}`,
      title: series[0]?.label ?? metric,
      blocks: [
        {
          kind: 'table',
          table: tableOf(
            [
              'mode',
              'tier',
              'runs',
              'first',
              'latest',
              'min',
              'max',
              `trend (last ${SPARK_NIGHTS} runs)`,
              'change points',
            ],
            series.map((s) => seriesRow(h, s)),
            SERIES_ALIGN,
          ),
        },
        ...(chart ? [{ kind: 'chart' as const, chart }] : []),
      ],
    });
  }
  sections.push({
    id: 'runs',
    title: 'Runs',
    blocks: [
      {
        kind: 'table',
        table: tableOf(
          ['#', 'started', 'run', 'status', 'file'],
          h.runs.map((r, i) => [String(i + 1), r.startedAt, r.runId, r.status, r.source]),
          ['right', 'left', 'left', 'left', 'left'],
        ),
      },
    ],
  });
  return {
    title: ['meshbench history: ', { data: specs.join(', ') }],
    intro: [
      `${h.runs.length} run(s)`,
      ...(first && last ? [' from ', { data: first.startedAt }, ' to ', { data: last.startedAt }] : []),
      '. ' +
        `Change points: a step between the ${h.detector.window} nights before and after a night (at least ` +
        `${h.detector.minWindow} a side) with Welch's t at p < ${h.detector.alpha}, larger than the metric's ` +
        `compare thresholds and than the runs' own noise. \u25b2 is worse (every metric is lower-is-better).`,
    ],
    sections,
  };
}
