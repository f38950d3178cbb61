import { existsSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { selectEngine } from '../engines/select.js';
import { describeWarmupChanges, fitSpecToK6 } from '../engines/k6/scenario-limits.js';
import { modes as registry } from '../modes/registry.js';
import {
  allowedCpus,
  pinProcess,
  planPinning,
  tasksetAvailable,
  type PinningSetting,
} from '../platforms/local/cpu-pinning.js';
import { hostInfo } from '../runner/host-info.js';
import { checkLoadSupport } from '../runner/load-supports.js';
import { runBenchmark } from '../runner/run-benchmark.js';
import { newRunId } from '../runner/run-id.js';
import type { EnvironmentInfo } from '../results/schema.js';
import { UserError } from '../errors.js';
import { errnoCode, fsUserError } from '../files/fs-error.js';
import { makeDirs } from '../files/make-dirs.js';
import { requirePathFlag } from '../files/output-guard.js';
import { finalizeResultsSync } from '../results/finalize-sync.js';
import { addSpecOptions, resolveSpecFromFlags, type SpecFlags } from './spec-options.js';
import type { CommandIO } from './io.js';
import { returning, type Outcome } from './outcome.js';
import { ExitCode } from '../exit-codes.js';
import { progressPrinter } from './progress-printer.js';
import { displayPath } from './console-format.js';

interface RunFlags extends SpecFlags {
  json?: boolean;
  out: string;
  runId?: string;
  k6?: string;
  context?: string;
}

/** Exit codes: Ok every cell measured; Failed some cells failed or the run failed; BadInput; Interrupted. */
export function registerRun(program: Command, io: CommandIO, outcome: Outcome): void {
  addSpecOptions(
    program
      .command('run')
      .description('deploy every mode, run every cell, write reports/<run-id>/results.json and report.md')
      .option('--out <dir>', 'directory that receives <run-id>/ (which must not exist yet)', 'reports')
      .option(
        '--run-id <id>',
        'run id (default: <utc timestamp>-<spec name>-<random>); refused if <out>/<run-id>/ exists',
      )
      .option('--k6 <path>', 'k6 binary to use (implies the k6 engine; not with --engine builtin)')
      .option('--context <name>', 'kubeconfig context (platform kubernetes)')
      .option('--json', 'machine-readable progress: one JSON event per line on stdout'),
  ).action(
    returning(outcome, async (specPath: string | undefined, flags: RunFlags) => {
      return runCommand(specPath, flags, io);
    }),
  );
}

/**
 * Creates `<out>/<run-id>/` exclusively: an existing directory (an earlier run with this id, or a concurrent
 * one) is refused, never written into. Filesystem problems (read-only, not a directory, too long) are
 * UserErrors naming the path.
 */
async function createRunOutDir(outDir: string, runIdFlag: string | undefined): Promise<void> {
  try {
    await makeDirs(dirname(outDir));
    await mkdir(outDir);
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') throw runExists(outDir, runIdFlag);
    throw fsUserError(e, outDir, 'create the run directory');
  }
}

function runExists(outDir: string, runIdFlag: string | undefined): UserError {
  return new UserError(
    `${outDir} already exists${existsSync(join(outDir, 'results.json')) ? ' and holds the results of an earlier run' : ''}: a run never writes into an existing run's directory`,
    [],
    runIdFlag !== undefined
      ? 'choose another --run-id (or --out), or move the earlier run away first'
      : 'choose another --out',
  );
}

async function runCommand(specPath: string | undefined, flags: RunFlags, io: CommandIO): Promise<ExitCode> {
  // Loaded when used: the report's Vega and Vega-Lite would slow every other command's start-up.
  const { writeReports } = await import('../report/run/write-report.js');
  // Everything that can be wrong with the input is checked before anything starts.
  const out = requirePathFlag('--out', flags.out) ?? 'reports';
  if (flags.k6 !== undefined && flags.engine === 'builtin')
    throw new UserError(
      '--k6 asks for the k6 engine, --engine builtin for the builtin one',
      [],
      'drop one of them: --k6 <path> alone runs k6 from that path',
    );
  let spec = await resolveSpecFromFlags(specPath, flags);
  if (flags.runId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(flags.runId)) {
    throw new UserError(
      `--run-id '${flags.runId}' is not usable as a directory name`,
      [],
      'use letters, digits, dot, dash and underscore',
    );
  }
  const runId = flags.runId ?? newRunId(spec.name);
  const outDir = resolve(out, runId);
  if (existsSync(outDir)) throw runExists(outDir, flags.runId);
  // Loaded when used: the platform registry pulls in the Kubernetes client (about a second at start-up).
  const { createPlatform, OWN_ENGINE } = await import('../platforms/create.js');
  // Locally the engine is chosen here and given to the platform; on a cluster the platform runs k6 itself.
  const localEngine =
    spec.platform === 'local'
      ? await selectEngine(flags.k6 ? 'k6' : spec.engine, flags.k6, { appDelayMs: spec.app.delayMs })
      : undefined;
  const engineName = localEngine?.name ?? OWN_ENGINE.kubernetes;
  // A tier the engine or platform cannot carry (protocol, connection churn) is refused here, with the field.
  checkLoadSupport(spec, engineName);
  if (engineName === 'k6') {
    // A tier k6 would refuse fails here (exit 2), not as k6 exit 104 in every cell; short warm-ups get 1 s.
    const fitted = fitSpecToK6(spec);
    spec = fitted.spec;
    const note = describeWarmupChanges(fitted.warmups);
    if (note) io.err(note);
  }
  const pinning = spec.platform === 'local' ? localPinning(spec.local.cpuPinning, engineName) : undefined;
  const created = await createPlatform({
    runId,
    spec,
    ...(localEngine ? { engine: localEngine } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(pinning?.plan.pinned ? { serverCpus: pinning.plan.serverCpus } : {}),
  });
  const platform = created.platform;
  // Before anything starts: an engine that cannot run here (k6 too old, native core not built) is bad input.
  const engine = await platform.engine();
  const described = await created.describe();
  await createRunOutDir(outDir, flags.runId);
  const resultsPath = join(outDir, 'results.json');
  const environment: EnvironmentInfo = {
    platform: spec.platform,
    ...hostInfo(),
    engine,
    proxy: described.proxy,
    ...(described.emulation ? { emulation: described.emulation } : {}),
    ...(described.app ? { app: described.app } : {}),
    ...(pinning ? { cpuPinning: pinning.record } : {}),
    ...(created.kubernetes ? { kubernetes: created.kubernetes() } : {}),
  };

  // First Ctrl-C (or SIGTERM, or SIGHUP when the terminal closes): stop after the current request batch,
  // tear down, keep finished cells, write the report. Second: kill what the platform started, mark
  // results.json interrupted, synchronously, and exit at once. (SIGKILL leaves no chance to do either:
  // readers then see the writer gone and read the run as interrupted, and `meshbench cleanup` removes what
  // it left; see results/run-owner.ts.)
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      io.err(
        `\n${sig}${sig === 'SIGHUP' ? ' (terminal closed)' : ''}: stopping; tearing down everything this run started (press Ctrl-C again to kill at once)`,
      );
      controller.abort();
      return;
    }
    io.err(`${sig} again: killing now`);
    try {
      platform.killNow?.();
    } finally {
      finalizeResultsSync(
        resultsPath,
        'interrupted',
        `${sig} twice: killed before teardown finished (run meshbench cleanup --run ${runId} if anything is left)`,
      );
      process.exit(ExitCode.Interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  pinning?.apply();
  try {
    const results = await runBenchmark({
      runId,
      spec,
      resultsPath,
      platform,
      environment,
      registry,
      signal: controller.signal,
      onEvent: progressPrinter(io, Boolean(flags.json)),
    });
    const report = await writeReports(results, outDir);
    const failed = results.cells.filter((c) => c.status === 'failed').length;
    if (results.error) io.err(`run ${results.status}: ${results.error}`);
    if (failed) io.err(`${failed} of ${results.cells.length} cells failed; see the report`);
    const shown = displayPath(report.markdown);
    if (flags.json)
      io.out(JSON.stringify({ event: 'report', path: shown, results: displayPath(resultsPath) }));
    else {
      io.out(`results: ${displayPath(resultsPath)}`);
      io.out(`report: ${shown}`);
    }
    if (results.status === 'interrupted') return ExitCode.Interrupted;
    return results.status === 'complete' && failed === 0 ? ExitCode.Ok : ExitCode.Failed;
  } catch (e) {
    // Nothing was measured (results.json never written, e.g. a full disk before the start): leave no empty
    // run directory behind.
    if (!existsSync(resultsPath)) await rmdir(outDir).catch(() => undefined);
    throw e;
  } finally {
    pinning?.restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}

/**
 * The run's CPU pinning (platforms/local/cpu-pinning.ts): `apply` pins this process, and so the engine it
 * starts, to the engine's CPU; `restore` gives it every CPU back once the cells are done.
 */
function localPinning(setting: PinningSetting, engine: 'builtin' | 'k6') {
  const allowed = allowedCpus();
  const plan = planPinning(setting, allowed, engine, setting === 'auto' && tasksetAvailable());
  const record: NonNullable<EnvironmentInfo['cpuPinning']> = plan.pinned
    ? { engineCpus: plan.engineCpus, serverCpus: plan.serverCpus }
    : { off: plan.reason };
  return {
    plan,
    record,
    apply: () => {
      if (plan.pinned) pinProcess(process.pid, plan.engineCpus);
    },
    restore: () => {
      if (plan.pinned) pinProcess(process.pid, allowed);
    },
  };
}
