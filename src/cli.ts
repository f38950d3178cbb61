import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isUserError, errorMessage, UserError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { newOutcome, type Outcome } from './commands/outcome.js';
import { registerCleanup } from './commands/cleanup.js';
import { registerCompare } from './commands/compare.js';
import { registerDoctor } from './commands/doctor.js';
import { registerHistory } from './commands/history.js';
import { processIO, type CommandIO } from './commands/io.js';
import { registerPlan } from './commands/plan.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSize } from './commands/size.js';
import { MESHBENCH_VERSION } from './version.js';

export function buildProgram(io: CommandIO, outcome: Outcome = newOutcome()): Command {
  const program = new Command('meshbench')
    .description(
      'Latency and proxy-cost benchmarks for service meshes: no-mesh baseline, Istio sidecar, Istio ambient\n' +
        '(ztunnel, waypoint) and AWS App Mesh, across traffic tiers, with confidence intervals; Kong Mesh / Kuma\n' +
        'and Linkerd on request (--modes baseline,kuma,linkerd).\n\n' +
        'Typical use:\n' +
        '  meshbench doctor              check what is installed\n' +
        '  meshbench plan --quick        see what a run would do\n' +
        '  meshbench run --quick         a 2-minute local run of the default modes; prints the report path\n' +
        '  meshbench report <results>    rebuild the reports from results.json\n' +
        '  meshbench compare <a> <b>     nightly regression gate (exit 1 on a regression or an incomplete candidate)\n' +
        '  meshbench history <dir>       trends and change points over many nights\n' +
        '  meshbench size <inventory> --results <results.json>   proxy requests, limits and $/month\n\n' +
        'Exit codes: 0 ok, 1 failed cells or a failed compare gate, 2 bad input (nothing started; also a path\n' +
        'that cannot be written, or a results file that cannot be right), 130 interrupted.',
    )
    .version(MESHBENCH_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  registerRun(program, io, outcome);
  registerPlan(program, io, outcome);
  registerReport(program, io, outcome);
  registerDoctor(program, io, outcome);
  registerCleanup(program, io, outcome);
  registerCompare(program, io, outcome);
  registerHistory(program, io, outcome);
  registerSize(program, io, outcome);
  for (const c of program.commands)
    c.exitOverride().configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  program.hook('preAction', (_program, action) => refuseExcessArguments(action));
  return program;
}

/**
 * commander 12 drops positional arguments beyond those a command declares; `--modes baseline istio-sidecar`
 * would then silently run baseline alone. Every extra argument is an error instead.
 */
function refuseExcessArguments(cmd: Command): void {
  const declared = cmd.registeredArguments;
  if (declared.some((a) => a.variadic) || cmd.args.length <= declared.length) return;
  const extra = cmd.args.slice(declared.length);
  const usage = declared.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
  throw new UserError(
    `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((a) => `'${a}'`).join(', ')}: meshbench ${cmd.name()} takes ${usage || 'no arguments'}`,
    [],
    'lists are one argument, comma-separated without spaces (e.g. --modes baseline,istio-sidecar); quote a value that holds spaces',
  );
}

/** Parses argv and runs a command; returns the exit code. User mistakes: message, problems, fix, exit 2. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<ExitCode> {
  const outcome = newOutcome();
  const program = buildProgram(io, outcome);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return outcome.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return ExitCode.Ok;
      return ExitCode.BadInput; // commander already printed what was wrong with the arguments
    }
    if (isUserError(e)) {
      io.err(`error: ${e.message}`);
      for (const p of e.problems) io.err(`  - ${p}`);
      if (e.fix) io.err(`fix: ${e.fix}`);
      return e.exitCode;
    }
    io.err(`meshbench: internal error: ${errorMessage(e)}`);
    if (process.env.MESHBENCH_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    else io.err('(set MESHBENCH_DEBUG=1 for a stack trace, and please report it)');
    return ExitCode.Failed;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Exits once stdout and stderr have drained, so piped output is never cut short. */
export async function exitAfterFlush(code: ExitCode): Promise<never> {
  // A stream whose reader is gone (closed terminal, `| head`) never drains: give up on it after a moment.
  const drain = (s: NodeJS.WriteStream) =>
    new Promise<void>((r) => {
      if (s.destroyed || s.write('')) return r();
      const t = setTimeout(r, 2000);
      t.unref();
      for (const ev of ['drain', 'error', 'close']) s.once(ev, () => r());
    });
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(code);
}

// `node dist/cli.js …` runs directly; the bin launcher calls main() itself; tests import main().
if (isEntryPoint()) await exitAfterFlush(await main(process.argv.slice(2)));
