import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { METRIC_IDS } from '../compare/metrics.js';
import type { MetricId } from '../compare/types.js';
import { errorMessage, isUserError, UserError } from '../errors.js';
import type { HistoryInput } from '../history/build.js';
import { writeFilesAtomically, type FileToWrite } from '../files/atomic-files.js';
import { assertOutputsSpareInputs, requirePathFlag } from '../files/output-guard.js';
import { readResults } from '../results/read.js';
import { displayPath } from './console-format.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';

interface HistoryFlags {
  out?: string;
  metric?: string;
  mode?: string;
  tier?: string;
  window?: string;
  html: boolean;
  json?: string;
}

/**
 * Bootstrap resamples per analysis: history only needs each run's point figures and its noise (for latency
 * added, the half-width of the overhead interval), and a 95% percentile interval from 200 resamples is
 * stable to a few percent of its width — enough for a noise gate, at a tenth of the cost over many nights.
 */
const HISTORY_BOOTSTRAP_ITERATIONS = 200;

function list(v: string | undefined): string[] | undefined {
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** Every results.json under dir, recursively (hidden directories and node_modules skipped), sorted. */
async function findResults(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (e) {
    throw new UserError(
      `cannot read directory ${dir}: ${errorMessage(e)}`,
      [],
      'pass the directory that holds one results.json per night, e.g. reports/',
    );
  }
  return entries
    .filter((p) => p === 'results.json' || p.endsWith(`${sep}results.json`))
    .filter((p) => !p.split(sep).some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort()
    .map((p) => join(dir, p));
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3)
    throw new UserError(
      `${flag} expects a whole number of runs, at least 3, got '${v}'`,
      [],
      `e.g. ${flag} 5`,
    );
  return n;
}

export function registerHistory(program: Command, io: CommandIO, outcome: Outcome): void {
  program
    .command('history')
    .description(
      'trends of the key metrics over many runs (every results.json under <dir>, ordered by start time), ' +
        'with change points marked: writes history.html (self-contained, offline charts) and history.md',
    )
    .argument('<dir>', 'directory searched recursively for results.json files (e.g. one per night)')
    .option('--out <dir>', 'where history.html and history.md go (default: <dir>)')
    .option('--metric <list>', `comma-separated metrics to chart (default: all): ${METRIC_IDS.join(', ')}`)
    .option('--mode <list>', 'comma-separated modes to keep')
    .option('--tier <list>', 'comma-separated tiers to keep')
    .option('--window <runs>', 'runs compared on each side of a change point (default 5)')
    .option('--no-html', 'write only the Markdown, not the HTML page')
    .option('--json <file>', 'also write the series and change points as JSON')
    .action(
      returning(outcome, async (dirArg: string, flags: HistoryFlags) => {
        // Loaded when used: Vega and Vega-Lite would slow every other command's start-up.
        const { analyze } = await import('../analysis/analyze.js');
        const { buildHistory } = await import('../history/build.js');
        const { renderHistoryHtml } = await import('../report/history/html.js');
        const { loadBrowserBundles } = await import('../report/shared/vega-assets.js');
        const { renderHistoryMarkdown } = await import('../report/history/markdown.js');
        const dir = resolve(dirArg);
        const metrics = list(flags.metric);
        const unknown = (metrics ?? []).filter((m) => !(METRIC_IDS as readonly string[]).includes(m));
        if (unknown.length > 0) {
          throw new UserError(
            `--metric names unknown metric(s): ${unknown.join(', ')}`,
            [],
            `metrics: ${METRIC_IDS.join(', ')}`,
          );
        }
        const window = positiveInt('--window', flags.window);
        const outDir = resolve(requirePathFlag('--out', flags.out) ?? dir);
        const jsonPath = requirePathFlag('--json', flags.json);
        const outputs = [
          { label: 'history.md', path: join(outDir, 'history.md') },
          ...(flags.html ? [{ label: 'history.html', path: join(outDir, 'history.html') }] : []),
          ...(jsonPath !== undefined ? [{ label: '--json', path: resolve(jsonPath) }] : []),
        ];

        const files = await findResults(dir);
        await assertOutputsSpareInputs(
          files.map((f) => ({ label: `the results of ${relative(dir, f)}`, path: f })),
          outputs,
        );
        const inputs: HistoryInput[] = [];
        const skipped: string[] = [];
        for (const file of files) {
          try {
            const results = await readResults(file);
            inputs.push({
              source: relative(dir, file),
              results,
              analysis: analyze(results, { bootstrapIterations: HISTORY_BOOTSTRAP_ITERATIONS }),
            });
          } catch (e) {
            // One unreadable night never sinks the whole history: it is listed, and the others are charted.
            const why = isUserError(e)
              ? [e.message, ...e.problems].join('; ')
              : `could not be analysed (${errorMessage(e)}; please report it)`;
            skipped.push(`${relative(dir, file)}: ${why}`);
          }
        }
        if (inputs.length === 0) {
          throw new UserError(
            `no usable results.json under ${dir}`,
            skipped,
            'pass the directory the nightly job stores its runs in (meshbench run --out <dir> writes <dir>/<run-id>/results.json)',
          );
        }
        const history = buildHistory(inputs, {
          ...(metrics ? { metrics: metrics as MetricId[] } : {}),
          ...(flags.mode ? { modes: list(flags.mode) } : {}),
          ...(flags.tier ? { tiers: list(flags.tier) } : {}),
          ...(window ? { window } : {}),
        });
        history.warnings.unshift(...skipped.map((s) => `skipped ${s}`));
        if (history.series.length === 0) {
          throw new UserError(
            'no series left to chart',
            [],
            'check --metric, --mode and --tier against the runs found',
          );
        }

        const toWrite: FileToWrite[] = [
          { path: join(outDir, 'history.md'), content: renderHistoryMarkdown(history) },
        ];
        if (flags.html)
          toWrite.push({
            path: join(outDir, 'history.html'),
            content: renderHistoryHtml(history, await loadBrowserBundles()),
          });
        if (jsonPath !== undefined)
          toWrite.push({ path: resolve(jsonPath), content: JSON.stringify(history, null, 1) + '\n' });
        await writeFilesAtomically(toWrite);
        const written = toWrite.map((f) => f.path);
        for (const s of skipped) io.err(`skipped ${s}`);
        const changes = history.series.reduce((n, s) => n + s.changePoints.length, 0);
        io.err(
          `history: ${history.runs.length} run(s), ${history.series.length} series, ${changes} change point(s)`,
        );
        for (const f of written) io.out(`wrote ${displayPath(f)}`);
        return ExitCode.Ok;
      }),
    );
}
