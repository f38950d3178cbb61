import { describeDifference } from '../../compare/compatibility.js';
import type { Comparison, MetricComparison } from '../../compare/types.js';
import {
  changeCell,
  confidenceText,
  formatValue,
  intervalCell,
  reasonText,
  thresholdText,
} from '../shared/metric-format.js';
import { markdownTable, WARNING_SIGN } from '../shared/format.js';
import { mdCode, mdItem, mdText } from '../shared/markdown-escape.js';

const CROSS = '\u274c';
const CHECK = '\u2705';

function headline(c: Comparison): string {
  const s = c.summary;
  const g = c.gate;
  const incomplete = g.failures.filter((f) => !/^\d+ regressions?$/.test(f) && !f.startsWith('nothing'));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (s.regressions > 0)
    return `${CROSS} ${plural(s.regressions, 'regression')}${incomplete.length > 0 ? ', and the candidate is incomplete' : ''}`;
  if (!g.passed) {
    if (incomplete.length > 0)
      return `${CROSS} gate failed: the candidate is incomplete (${incomplete.length === 1 ? mdText(incomplete[0] as string) : `${incomplete.length} problems`})`;
    return `${CROSS} gate failed: nothing could be judged`;
  }
  const partial = g.allowed.length > 0 ? ` (partial: ${plural(g.allowed.length, 'gap')} allowed)` : '';
  if (s.improvements > 0) return `${CHECK} no regression, ${plural(s.improvements, 'improvement')}${partial}`;
  return `${CHECK} no regression${partial}`;
}

function gateSection(c: Comparison): string[] {
  const g = c.gate;
  if (g.passed && g.allowed.length === 0) return [];
  const out = ['', '### Gate', ''];
  if (!g.passed) {
    out.push(`${CROSS} The gate failed (exit 1):`, '');
    for (const f of g.failures) out.push(`- ${mdItem(f)}`);
  }
  if (g.allowed.length > 0) {
    out.push(
      ...(g.passed ? [] : ['']),
      `${WARNING_SIGN} Allowed by --allow-partial (not measured, so not judged):`,
      '',
    );
    for (const a of g.allowed) out.push(`- ${mdItem(a)}`);
  }
  return out;
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
    `Baseline ${mdCode(c.baseline.runId)} (${mdText(c.baseline.startedAt)}) ${'\u2192'} candidate ${mdCode(c.candidate.runId)} (${mdText(c.candidate.startedAt)}). ` +
      `Spec ${mdText(c.candidate.specName)}, platform ${mdText(c.candidate.platform)}, proxy ${mdText(c.candidate.proxy)}, ` +
      `${c.baseline.repetitions} vs ${c.candidate.repetitions} repetitions. ` +
      `${s.total} metrics over ${c.compatibility.modes.length} mode(s) x ${c.compatibility.tiers.length} tier(s): ` +
      `${s.regressions} regression(s), ${s.improvements} improvement(s), ${s.unchanged} unchanged, ${s.notJudged} not judged.`,
  ];
  out.push(...gateSection(c));
  const regressions = c.metrics.filter((r) => r.verdict === 'regression');
  const improvements = c.metrics.filter((r) => r.verdict === 'improvement');
  if (regressions.length > 0) out.push('', '### Regressions', '', detailTable(regressions, level));
  if (improvements.length > 0) out.push('', '### Improvements', '', detailTable(improvements, level));
  const differences = c.compatibility.differences;
  if (differences.length > 0) {
    out.push('', '### Differences between the runs', '');
    if (c.compatibility.partial) {
      out.push(
        `${WARNING_SIGN} Compared only where comparable (--allow-partial): modes ${c.compatibility.modes.join(', ')}; tiers ${mdText(c.compatibility.tiers.join(', '))}.`,
        '',
      );
    }
    for (const d of differences) out.push(`- ${mdItem(describeDifference(d))}`);
  }
  if (c.warnings.length > 0) {
    out.push('', '### Warnings', '');
    for (const w of c.warnings) out.push(`- ${WARNING_SIGN} ${mdText(w)}`);
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
