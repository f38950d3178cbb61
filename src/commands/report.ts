import { dirname, resolve } from 'node:path';
import { displayPath } from './console-format.js';
import type { Command } from 'commander';
import { readResults } from '../results/read.js';
import { writeReports } from '../report/write-report.js';
import type { CommandIO } from './io.js';

export function registerReport(program: Command, io: CommandIO): void {
  program
    .command('report')
    .description('rebuild every report file from a results.json alone (no cluster, no processes)')
    .argument('<results>', 'path to a results.json written by `meshbench run`')
    .option('--out <dir>', 'directory for the report files (default: next to results.json)')
    .action(async (path: string, flags: { out?: string }) => {
      const results = await readResults(path);
      const outDir = resolve(flags.out ?? dirname(path));
      const written = await writeReports(results, outDir);
      for (const f of written.files.slice(1)) io.err(`wrote ${displayPath(f)}`);
      io.out(`report: ${displayPath(written.markdown)}`);
    });
}
