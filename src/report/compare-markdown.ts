import { describeDifference } from '../compare/compatibility.js';
import type { Comparison, MetricComparison } from '../compare/types.js';
import {
  changeCell,
  confidenceText,
  formatValue,
  intervalCell,
  reasonText,
  thresholdText,
} from './compare-format.js';
import { escapeCell, markdownTable, WARNING_SIGN } from './format.js';

const CROSS = '\u274c';
const CHECK = '\u2705';

function headline(c: Comparison): string {
  const s = c.summary;
  if (s.regressions > 0) return `${CROSS} ${s.regressions} regression${s.regressions > 1 ? 's' : ''}`;
  if (s.total > 0 && s.notJudged === s.total) return `${WARNING_SIGN} nothing could be judged`;
  if (s.improvements > 0)
    return `${CHECK} no regression, ${s.improvements} improvement${s.improvements > 1 ? 's' : ''}`;
  return `${CHECK} no regression`;
}

function flagsOf(row: MetricComparison): string {
  const parts = [
    ...row.flags.baseline.map((f) => `baseline run: ${f}`),
    ...row.flags.candidate.map((f) => `candidate run: ${f}`),
  ];
  return parts.length === 0 ? '' : `${WARNING_SIGN} ${parts.join(', ')}`;
}

function value(row: MetricComparison, x: number | null): string {
  return x === null ? 'n/a' : formatValue(row.unit, x);
}

/** The rows that carry a verdict worth a reader's attention, with everything needed to check it. */
function detailTable(rows: readonly MetricComparison[], level: number): string {
  return markdownTable(
    [
      'tier',
      'mode',
      'metric',
      'baseline',
      'candidate',
      'change',
      `${confidenceText(level)} CI`,
      'noise',
      'threshold',
      'flags',
    ],
    rows.map((r) => [
      r.tier,
      r.mode,
      r.label,
      value(r, r.baseline),
      value(r, r.candidate),
      changeCell(r),
      intervalCell(r),
      r.noise === null ? 'n/a' : formatValue(r.unit, r.noise),
      thresholdText(r),
      flagsOf(r),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
  );
}

function allTable(rows: readonly MetricComparison[], level: number): string {
  return markdownTable(
    ['tier', 'mode', 'metric', 'baseline', 'candidate', 'change', `${confidenceText(level)} CI`, 'verdict'],
    rows.map((r) => [
      r.tier,
      r.mode,
      r.label,
      value(r, r.baseline),
      value(r, r.candidate),
      changeCell(r),
      intervalCell(r),
      reasonText(r.reason),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
  );
}

function methodNote(c: Comparison): string {
  const level = confidenceText(c.thresholds.confidence);
  return (
    `A change is a regression only when it is larger than both of its metric's thresholds (relative to the ` +
    `baseline run's figure, and absolute), when the ${level} interval on the difference (Welch's t over ` +
    `repetitions) excludes 0 and stays significant after a Benjamini-Hochberg correction for the ` +
    `${c.summary.total} metrics compared, and when it is larger than the spread between either run's own ` +
    `repetitions (its noise). Latency is judged as added over baseline and as each mode's absolute latency. ` +
    `Thresholds come from the candidate's spec and \`--threshold\` flags.`
  );
}

/**
 * The comparison as Markdown for a pull request or a chat message: the verdict first, then the regressions
 * and improvements with their evidence, the differences between the runs, and every metric at the end.
 */
export function renderCompareMarkdown(c: Comparison): string {
  const s = c.summary;
  const level = c.thresholds.confidence;
  const out: string[] = [
    `## meshbench compare: ${headline(c)}`,
    '',
    `Baseline \`${escapeCell(c.baseline.runId)}\` (${c.baseline.startedAt}) ${'\u2192'} candidate \`${escapeCell(c.candidate.runId)}\` (${c.candidate.startedAt}). ` +
      `Spec ${c.candidate.specName}, platform ${c.candidate.platform}, proxy ${c.candidate.proxy}, ` +
      `${c.baseline.repetitions} vs ${c.candidate.repetitions} repetitions. ` +
      `${s.total} metrics over ${c.compatibility.modes.length} mode(s) x ${c.compatibility.tiers.length} tier(s): ` +
      `${s.regressions} regression(s), ${s.improvements} improvement(s), ${s.unchanged} unchanged, ${s.notJudged} not judged.`,
  ];
  const regressions = c.metrics.filter((r) => r.verdict === 'regression');
  const improvements = c.metrics.filter((r) => r.verdict === 'improvement');
  if (regressions.length > 0) out.push('', '### Regressions', '', detailTable(regressions, level));
  if (improvements.length > 0) out.push('', '### Improvements', '', detailTable(improvements, level));
  const differences = c.compatibility.differences;
  if (differences.length > 0) {
    out.push('', '### Differences between the runs', '');
    if (c.compatibility.partial) {
      out.push(
        `${WARNING_SIGN} Compared only where comparable (--allow-partial): modes ${c.compatibility.modes.join(', ')}; tiers ${c.compatibility.tiers.join(', ')}.`,
        '',
      );
    }
    for (const d of differences) out.push(`- ${escapeCell(describeDifference(d))}`);
  }
  if (c.warnings.length > 0) {
    out.push('', '### Warnings', '');
    for (const w of c.warnings) out.push(`- ${WARNING_SIGN} ${escapeCell(w)}`);
  }
  out.push(
    '',
    '<details><summary>All metrics</summary>',
    '',
    allTable(c.metrics, level),
    '',
    '</details>',
    '',
    methodNote(c),
    '',
  );
  return out.join('\n');
}
