import type { Analysis } from '../../analysis/types.js';
import { LATENCY_PERCENTILES } from '../../stats/percentiles.js';
import {
  formatCount,
  formatMs,
  formatNumber,
  formatPercent,
  formatRange,
  msDecimals,
  withFlags,
  type Align,
} from '../shared/format.js';
import { tableOf, type TableData } from '../shared/table.js';
import type { ListItem } from '../shared/list.js';

/** Absolute latency percentiles (merged histograms) per mode and tier, with the p99 spread over repetitions. */
export function latencyTable(analysis: Analysis): TableData {
  const rows = analysis.results.map((r) => {
    const l = r.latency;
    if (!l)
      return [
        r.mode,
        r.tier,
        `0/${r.repetitions.planned}`,
        ...LATENCY_PERCENTILES.map(() => 'n/a'),
        'n/a',
        withFlags('', r.flags).trim(),
      ];
    const d = msDecimals(l.mergedMs.p50);
    const p99 = l.spreadMs.p99;
    return [
      r.mode,
      r.tier,
      `${r.repetitions.ok}/${r.repetitions.planned}`,
      ...LATENCY_PERCENTILES.map((p) =>
        formatMs(l.mergedMs[p.key], Math.min(d, msDecimals(l.mergedMs[p.key]))),
      ),
      p99.n < 2
        ? 'n/a'
        : formatRange(formatMs(p99.min, msDecimals(p99.max)), formatMs(p99.max, msDecimals(p99.max))),
      withFlags('', r.flags).trim(),
    ];
  });
  const align: Align[] = [
    'left',
    'left',
    'right',
    ...LATENCY_PERCENTILES.map((): Align => 'right'),
    'right',
    'left',
  ];
  return tableOf(
    [
      'mode',
      'tier',
      'reps ok',
      ...LATENCY_PERCENTILES.map((p) => p.label),
      'p99 over reps (min\u2013max)',
      'flags',
    ],
    rows,
    align,
  );
}

/** Achieved vs target rate, errors and drops, with the flags they raise. */
export function loadTable(analysis: Analysis): TableData {
  const rows = analysis.results.map((r) => {
    const l = r.load;
    const achieved = l.achievedRps;
    return [
      r.mode,
      r.tier,
      formatNumber(l.targetRps, 0),
      achieved
        ? achieved.n > 1 && achieved.min !== achieved.max
          ? `${formatNumber(achieved.mean, 1)} (${formatRange(formatNumber(achieved.min, 1), formatNumber(achieved.max, 1))})`
          : formatNumber(achieved.mean, 1)
        : 'n/a',
      l.achievedRatio === null ? 'n/a' : formatPercent(l.achievedRatio),
      formatCount(l.requests),
      l.errorRate === null ? 'n/a' : `${formatCount(l.errorCount)} (${formatPercent(l.errorRate, 2)})`,
      formatCount(l.dropped),
      `${r.repetitions.ok}/${r.repetitions.planned}`,
      withFlags('', r.flags).trim(),
    ];
  });
  return tableOf(
    [
      'mode',
      'tier',
      'target RPS',
      'achieved RPS',
      'achieved/target',
      'requests',
      'errors (rate)',
      'dropped',
      'reps ok',
      'flags',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}

/** Repetitions that failed or are missing, with their errors; none when every one succeeded. */
export function failedRepetitionsList(analysis: Analysis): ListItem[] {
  const items: ListItem[] = [];
  for (const r of analysis.results) {
    for (const rep of r.load.perRepetition) {
      if (rep.status === 'ok') continue;
      items.push({
        content: [
          `${r.mode} / `,
          { data: r.tier },
          ` / repetition ${rep.repetition}: ${rep.status}`,
          ...(rep.error ? [' (', { data: rep.error }, ')'] : []),
        ],
      });
    }
  }
  return items;
}

/** Baseline's spread between its own repetitions, per tier. */
export function noiseFloorTable(analysis: Analysis): TableData {
  const fmt = (x: number | null) => (x === null ? 'n/a' : formatMs(x, msDecimals(x)));
  const rows = analysis.noiseFloor.map((n) => [
    n.tier,
    String(n.repetitions),
    fmt(n.byPercentile.p50.rangeMs),
    fmt(n.byPercentile.p50.ciHalfWidthMs),
    fmt(n.byPercentile.p99.rangeMs),
    fmt(n.byPercentile.p99.ciHalfWidthMs),
  ]);
  return tableOf(
    [
      'tier',
      'baseline reps',
      'p50 range (ms)',
      'p50 CI half-width (ms)',
      'p99 range (ms)',
      'p99 CI half-width (ms)',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}
