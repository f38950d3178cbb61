import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { K6LoadFigures, LatencyResult } from '../../results/schema.js';
import type { Tier } from '../../spec/schema.js';
import { EngineUnavailableError, type Engine, type LoadHooks, type Target } from '../engine.js';
import { bundleScenario, scenarioAssets } from './bundle.js';
import { K6CpuProbe } from './cpu-probe.js';
import { K6_ENV, MEASURE_SCENARIO } from './env-keys.js';
import { k6Env } from './env.js';
import { describeK6Exit } from './error-codes.js';
import { findK6, K6_INSTALL_HINT, MIN_K6_VERSION, versionAtLeast } from './find.js';
import { ingestK6Output } from './ingest.js';
import { toLatencyResult, verifyIngest } from './latency-result.js';
import { latencySourceFor } from './tally.js';
import { MeasureWindow } from './measure-window.js';
import { runK6Process, type K6ProcessResult } from './process.js';
import { parseK6ProgressLine } from './progress.js';
import { parseK6Summary, type K6Summary } from './summary.js';
import { k6VuSizing, type K6VuSizing } from './vu-sizing.js';

export { bundleScenario, scenarioAssets } from './bundle.js';
export { k6Env } from './env.js';
export { findK6, K6_INSTALL_HINT, MIN_K6_VERSION, parseK6Version } from './find.js';
export {
  ingestK6Output,
  parseK6Summary,
  extractMarkedSummary,
  K6OutputTruncatedError,
  type K6Ingest,
  type K6Summary,
} from './ingest.js';
export { K6_LATENCY_NOTE } from './latency-result.js';
export { SUMMARY_STDOUT_MARKER, K6_ENV } from './env-keys.js';
export { k6VuSizing, describeVuSizing, K6_LATENCY_HEADROOM_MS, type K6VuSizing } from './vu-sizing.js';
export { fitSpecToK6, describeWarmupChanges, K6_MIN_SCENARIO_MS } from './scenario-limits.js';
export { diagnoseK6, k6ShortageFlags, type K6Diagnosis } from './diagnosis.js';

/** Init, VU allocation and the end-of-test summary on a loaded 2-core box take seconds; 2 minutes is generous. */
const K6_OVERHEAD_MS = 120_000;

/** The caller's environment without K6_* variables: a K6_DURATION or K6_OUT in a shell would silently change the test. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('K6_')) env[k] = v;
  return { ...env, ...extra };
}

function abortError(): Error {
  return new DOMException('the k6 run was aborted', 'AbortError');
}

async function readSummary(paths: string[]): Promise<K6Summary | undefined> {
  for (const p of paths) {
    let text: string;
    try {
      text = await readFile(p, 'utf8');
    } catch {
      continue; // not written: k6 stopped before its end-of-test summary, or this kind is not asked for
    }
    return parseK6Summary(text, p);
  }
  return undefined;
}

async function exitError(k6Path: string, proc: K6ProcessResult, summaryPaths: string[]): Promise<Error> {
  if (proc.spawnError) return new Error(`could not start k6 (${k6Path}): ${proc.spawnError.message}`);
  const detail =
    proc.errors.length > 0
      ? proc.errors.join('; ')
      : proc.stderrTail.trim().split('\n').slice(-5).join(' | ') || 'k6 printed no error';
  if (proc.timedOut) return new Error(`k6 did not finish in time and was stopped: ${detail}`);
  if (proc.exitCode === null) return new Error(`k6 was killed by ${proc.signal ?? 'a signal'}: ${detail}`);
  let thresholds = '';
  if (proc.exitCode === 99) {
    const summary = await readSummary(summaryPaths).catch(() => undefined);
    const crossed = summary?.thresholds.filter((t) => !t.ok).map((t) => `${t.metric}: ${t.expression}`) ?? [];
    if (crossed.length > 0) thresholds = ` [${crossed.join(', ')}]`;
  }
  return new Error(
    `k6 exited with code ${proc.exitCode} (${describeK6Exit(proc.exitCode)})${thresholds}: ${detail}`,
  );
}

/** What k6 had to work with in this cell (see diagnosis.ts). */
async function loadFigures(
  vus: K6VuSizing,
  summary: K6Summary | undefined,
  proc: K6ProcessResult,
  cpu: K6CpuProbe,
): Promise<K6LoadFigures> {
  const figures: K6LoadFigures = { preAllocatedVUs: vus.preAllocatedVUs, maxVUs: vus.maxVUs };
  if (summary?.vusMax !== undefined) figures.vusMax = summary.vusMax;
  if (proc.vuCapHits.some((h) => h.scenario === MEASURE_SCENARIO)) figures.maxVUsReached = true;
  const used = await cpu.result();
  if (used !== undefined) figures.cpu = used;
  return figures;
}

export interface K6EngineOptions {
  /** A k6 binary: a path, or a name looked up on PATH. Default: `k6` on PATH. */
  k6Path?: string;
  /** On abort, how long k6 gets after SIGINT before SIGKILL, milliseconds (default 5000). */
  killGraceMs?: number;
  /** The app's fixed service time (spec app.delayMs): part of the latency the pre-allocated VUs must cover. */
  appDelayMs?: number;
}

/**
 * The k6 engine on the local platform: runs a k6 binary (found on PATH, or `k6Path`) on the bundled scenario,
 * always with --no-usage-report (k6 otherwise reports every run to Grafana over the internet), and ingests its
 * CSV output into meshbench's histogram. See K6_LATENCY_NOTE for what its latency means.
 */
export function createK6Engine(opts: K6EngineOptions = {}): Engine {
  let located: Promise<{ path: string; version: string }> | undefined;
  const locate = (): Promise<{ path: string; version: string }> => {
    located ??= (async () => {
      const found = await findK6(opts.k6Path);
      if (found === null) {
        located = undefined; // installing k6 and retrying in the same process should work
        throw new EngineUnavailableError(
          opts.k6Path
            ? `k6 at ${opts.k6Path} does not run (\`${opts.k6Path} version\` failed)`
            : 'k6 is not on PATH',
          K6_INSTALL_HINT,
        );
      }
      if (!versionAtLeast(found.version, MIN_K6_VERSION)) {
        throw new EngineUnavailableError(
          `k6 ${found.version} at ${found.path} is too old: meshbench's scenario needs k6 ${MIN_K6_VERSION} or later`,
          K6_INSTALL_HINT,
        );
      }
      return found;
    })();
    return located;
  };

  async function run(target: Target, tier: Tier, hooks: LoadHooks): Promise<LatencyResult> {
    if (hooks.signal?.aborted) throw abortError();
    const k6 = await locate();
    const vus = k6VuSizing(tier, { appDelayMs: opts.appDelayMs ?? 0 });
    const env = k6Env(target, tier, hooks.tags ?? {}, vus);
    const { fileName, source } = await bundleScenario();
    const dir = await mkdtemp(join(tmpdir(), 'meshbench-k6-'));
    let window: MeasureWindow | undefined;
    try {
      const script = join(dir, fileName);
      const output = join(dir, 'out.csv');
      const handleSummary = join(dir, 'summary.json');
      const summaryExport = join(dir, 'summary-export.json');
      await writeFile(script, source);
      for (const a of scenarioAssets()) await writeFile(join(dir, a.fileName), a.source);
      const args = ['run', '--no-usage-report', '--out', `csv=${output}`];
      // --summary-export is the legacy summary; k6 2 dropped long-deprecated flags, handleSummary's file remains.
      if (!versionAtLeast(k6.version, '2.0.0')) args.push('--summary-export', summaryExport);
      args.push(script);
      // k6's own CPU time (and the host's) over the measure window, to tell a k6 short of CPU from a slow target.
      const cpu = new K6CpuProbe(tier.durationSec);
      window = new MeasureWindow(tier.warmupSec, tier.durationSec, {
        onProgress: hooks.onProgress,
        onMeasureStart: () => {
          cpu.start();
          hooks.onMeasureStart?.();
        },
        onMeasureEnd: () => {
          cpu.stop();
          hooks.onMeasureEnd?.();
        },
      });
      const w = window;
      const proc = await runK6Process({
        k6Path: k6.path,
        args,
        cwd: dir,
        env: childEnv({
          ...env,
          [K6_ENV.summaryPath]: handleSummary,
          [K6_ENV.summaryStdout]: '',
          K6_NO_USAGE_REPORT: 'true',
        }),
        signal: hooks.signal,
        killGraceMs: opts.killGraceMs,
        onSpawn: (pid) => cpu.attach(pid),
        deadlineMs: (tier.warmupSec + tier.durationSec) * 1000 + 2 * tier.timeoutMs + K6_OVERHEAD_MS,
        onStdoutLine: (line) => {
          const p = parseK6ProgressLine(line);
          if (p !== undefined) w.observe(p);
        },
      });
      if (proc.aborted) throw abortError();
      if (proc.spawnError || proc.timedOut || proc.exitCode !== 0)
        throw await exitError(k6.path, proc, [handleSummary, summaryExport]);
      w.finish();
      if (w.hookError !== undefined) throw w.hookError;
      const summary = await readSummary([handleSummary, summaryExport]);
      const ingest = await ingestK6Output(output, {
        format: 'csv',
        timeoutMs: tier.timeoutMs,
        latency: latencySourceFor(tier),
        signal: hooks.signal,
      }).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          throw new Error(`k6 exited 0 but wrote no output to ${output}`);
        throw e;
      });
      verifyIngest(ingest, output, tier.protocol, summary);
      return { ...toLatencyResult(ingest, tier), k6: await loadFigures(vus, summary, proc, cpu) };
    } finally {
      window?.cancel();
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    name: 'k6',
    async version() {
      return (await locate()).version;
    },
    run,
  };
}
