import { dirname, join, resolve } from 'node:path';
import { displayPath } from './console-format.js';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { assertOutputsSpareInputs, requirePathFlag, sameFile } from '../files/output-guard.js';
import { readResults } from '../results/read.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';
import { existsSync } from 'node:fs';

export function registerReport(program: Command, io: CommandIO, outcome: Outcome): void {
  program
    .command('report')
    .description('rebuild every report file from a results.json alone (no cluster, no processes)')
    .argument('<results>', 'path to a results.json written by `meshbench run`')
    .option('--out <dir>', 'directory for the report files (default: next to results.json)')
    .option(
      '--force',
      "write into a directory that holds another run's results.json (replacing that run's report files)",
    )
    .action(
      returning(outcome, async (path: string, flags: { out?: string; force?: boolean }) => {
        // Loaded when used: the report's Vega and Vega-Lite would slow every other command's start-up.
        const { reportOutputPaths, writeReports } = await import('../report/run/write-report.js');
        const outDir = resolve(requirePathFlag('--out', flags.out) ?? dirname(path));
        await assertOutputsSpareInputs(
          [{ label: 'the results', path }],
          reportOutputPaths(outDir).map((p) => ({ label: 'report file', path: p })),
        );
        const otherRun = join(outDir, 'results.json');
        if (!flags.force && existsSync(otherRun) && !(await sameFile(otherRun, path)))
          throw new UserError(
            `--out ${outDir} holds another run's results (${otherRun}): its report files would be replaced`,
            [],
            'choose an empty or new directory, or pass --force to replace them',
          );
        const results = await readResults(path);
        const written = await writeReports(results, outDir);
        for (const f of written.files.slice(1)) io.err(`wrote ${displayPath(f)}`);
        io.out(`report: ${displayPath(written.markdown)}`);
        return ExitCode.Ok;
      }),
    );
}
