import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { compareRuns } from '../compare/compare.js';
import { applyThresholdFlags } from '../compare/threshold-flags.js';
import { THRESHOLD_KEYS } from '../compare/thresholds.js';
import type { Comparison } from '../compare/types.js';
import { renderCompareJson } from '../report/compare/json.js';
import { renderCompareJUnit } from '../report/compare/junit.js';
import { renderCompareMarkdown } from '../report/compare/markdown.js';
import { writeFilesAtomically } from '../files/atomic-files.js';
import { assertOutputsSpareInputs, requirePathFlag } from '../files/output-guard.js';
import { readResults } from '../results/read.js';
import { displayPath } from './console-format.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';

interface CompareFlags {
  allowPartial?: boolean;
  threshold: string[];
  confidence?: string;
  markdown?: string;
  junit?: string;
  json?: string;
  format: 'markdown' | 'json';
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function summaryLine(c: Comparison): string {
  const s = c.summary;
  return (
    `compare: ${s.regressions} regression(s), ${s.improvements} improvement(s), ${s.unchanged} unchanged, ` +
    `${s.notJudged} not judged, of ${s.total} metrics; gate ${c.gate.passed ? 'passed' : `FAILED: ${c.gate.failures.join('; ')}`}`
  );
}

/**
 * Exit codes: 0 the gate passed; 1 it failed (a regression, a candidate with failed or missing cells without
 * --allow-partial, or nothing could be judged); 2 unusable input (bad file, incompatible runs).
 */
export function registerCompare(program: Command, io: CommandIO, outcome: Outcome): void {
  program
    .command('compare')
    .description(
      'compare two results.json files (e.g. last good night vs tonight): for every mode x tier and metric, the ' +
        'change with its confidence interval and a verdict. Exits 1 when the gate fails: anything regressed, a ' +
        'compared mode x tier of the candidate failed or is missing (unless --allow-partial), or nothing ' +
        'could be judged; 2 on unusable input',
    )
    .argument('<baseline>', 'results.json of the reference run')
    .argument('<candidate>', 'results.json of the run to judge; its spec supplies the thresholds')
    .option(
      '--allow-partial',
      'compare only the modes and tiers both runs share instead of refusing, and let a candidate with failed or missing cells pass on what it measured',
    )
    .addOption(
      new Option(
        '--threshold <metric.field=value>',
        `override a threshold, repeatable: e.g. addedP99.relative=5% or addedP99.absolute=0.3 (metrics: ${THRESHOLD_KEYS.join(', ')})`,
      )
        .argParser(collect)
        .default([], "the candidate spec's"),
    )
    .option('--confidence <level>', 'level of the interval on each difference (default: the spec, else 0.95)')
    .option(
      '--markdown <file>',
      'also write the Markdown summary (for a pull-request comment or chat) to a file',
    )
    .option(
      '--junit <file>',
      'write JUnit XML: one test case per mode x tier x metric, a regression is a failure',
    )
    .option('--json <file>', 'write the full comparison as JSON')
    .addOption(
      new Option('--format <format>', 'what to print on stdout')
        .choices(['markdown', 'json'])
        .default('markdown'),
    )
    .action(
      returning(outcome, async (baselinePath: string, candidatePath: string, flags: CompareFlags) => {
        const outputs = (
          [
            ['--markdown', requirePathFlag('--markdown', flags.markdown)],
            ['--junit', requirePathFlag('--junit', flags.junit)],
            ['--json', requirePathFlag('--json', flags.json)],
          ] as const
        ).flatMap(([label, path]) => (path === undefined ? [] : [{ label, path }]));
        await assertOutputsSpareInputs(
          [
            { label: 'the baseline results', path: baselinePath },
            { label: 'the candidate results', path: candidatePath },
          ],
          outputs,
        );
        const baseline = await readResults(baselinePath);
        const candidate = await readResults(candidatePath);
        const thresholds = applyThresholdFlags(candidate.spec.thresholds, flags.threshold, flags.confidence);
        const comparison = compareRuns(baseline, candidate, {
          thresholds,
          allowPartial: Boolean(flags.allowPartial),
        });
        const markdown = renderCompareMarkdown(comparison);
        const json = renderCompareJson(comparison);
        const files: [string | undefined, () => string][] = [
          [flags.markdown, () => markdown],
          [flags.junit, () => renderCompareJUnit(comparison)],
          [flags.json, () => json],
        ];
        // All or nothing: a failing --junit path must not leave a fresh --markdown beside a stale --json.
        const toWrite = files.flatMap(([path, render]) =>
          path ? [{ path: resolve(path), content: render() }] : [],
        );
        await writeFilesAtomically(toWrite);
        for (const f of toWrite) io.err(`wrote ${displayPath(f.path)}`);
        io.out((flags.format === 'json' ? json : markdown).trimEnd());
        io.err(summaryLine(comparison));
        return comparison.gate.passed ? ExitCode.Ok : ExitCode.Failed;
      }),
    );
}
