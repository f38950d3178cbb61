import type { History, HistorySeries } from '../../history/types.js';
import { formatChange, formatRelative, formatValue } from '../shared/metric-format.js';
import { markdownTable, WARNING_SIGN, type Align } from '../shared/format.js';
import { mdText } from '../shared/markdown-escape.js';

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
const SPARK_NIGHTS = 60;

function runLabel(h: History, run: number): string {
  const r = h.runs[run];
  // A table cell: plain text (markdownTable escapes it), no code span.
  return r ? `${r.startedAt.slice(0, 10)} ${r.runId}` : `#${run}`;
}

function changePointTable(h: History): string | null {
  const rows = h.series.flatMap((s) =>
    s.changePoints.map((c) => [
      c.kind === 'regression' ? `\u25b2 regression` : `\u25bc improvement`,
      s.label,
      s.mode,
      s.tier,
      runLabel(h, c.run),
      formatValue(s.unit, c.before),
      formatValue(s.unit, c.after),
      `${formatChange(s.unit, c.change)} (${formatRelative(c.relativeChange)})`,
    ]),
  );
  if (rows.length === 0) return null;
  return markdownTable(
    ['', 'metric', 'mode', 'tier', 'first run at new level', 'before', 'after', 'change'],
    rows,
    ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right'],
  );
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

const ALIGN: Align[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'];

/** The history as Markdown: change points first, then a table per metric with a sparkline per series. */
export function renderHistoryMarkdown(h: History): string {
  const first = h.runs[0];
  const last = h.runs[h.runs.length - 1];
  const specs = [...new Set(h.runs.map((r) => r.specName))];
  const out: string[] = [
    `# meshbench history: ${mdText(specs.join(', '))}`,
    '',
    `${h.runs.length} run(s)${first && last ? ` from ${mdText(first.startedAt)} to ${mdText(last.startedAt)}` : ''}. ` +
      `Change points: a step between the ${h.detector.window} nights before and after a night (at least ` +
      `${h.detector.minWindow} a side) with Welch's t at p < ${h.detector.alpha}, larger than the metric's ` +
      `compare thresholds and than the runs' own noise. \u25b2 is worse (every metric is lower-is-better).`,
  ];
  const cps = changePointTable(h);
  out.push('', '## Change points', '', cps ?? 'None found.');
  if (h.warnings.length > 0) {
    out.push('', '## Warnings', '');
    for (const w of h.warnings) out.push(`- ${WARNING_SIGN} ${mdText(w)}`);
  }
  const metrics = [...new Set(h.series.map((s) => s.metric))];
  for (const metric of metrics) {
    const series = h.series.filter((s) => s.metric === metric);
    const label = series[0]?.label ?? metric;
    out.push(
      '',
      `## ${label}`,
      '',
      markdownTable(
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
        ALIGN,
      ),
    );
  }
  out.push('', '## Runs', '');
  out.push(
    markdownTable(
      ['#', 'started', 'run', 'status', 'file'],
      h.runs.map((r, i) => [String(i + 1), r.startedAt, r.runId, r.status, r.source]),
      ['right', 'left', 'left', 'left', 'left'],
    ),
    '',
  );
  return out.join('\n');
}
