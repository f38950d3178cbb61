import type { ModeRegistry } from '../modes/registry.js';
import type { ModeName } from '../modes/mode.js';
import type { Deployment, Platform } from '../platforms/platform.js';
import { holdsModesConcurrently } from '../platforms/platform.js';
import type {
  CellResult,
  EnvironmentInfo,
  ModeTopologyRecord,
  ProxySamples,
  ResultsFile,
} from '../results/schema.js';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION } from '../results/schema.js';
import { currentRunOwner } from '../results/run-owner.js';
import { writeJsonAtomic } from '../files/write-json.js';
import { planRun, secondsRemaining, type PlannedCell } from '../spec/plan.js';
import type { ResolvedSpec } from '../spec/schema.js';
import { decodeHistogram, percentileMicros } from '../stats/histogram.js';
import { errorMessage } from '../errors.js';
import { cellFlags } from './cell-flags.js';
import type { RunEvent } from './events.js';

export interface RunOptions {
  runId: string;
  spec: ResolvedSpec;
  resultsPath: string;
  platform: Platform;
  environment: EnvironmentInfo;
  registry: ModeRegistry;
  signal: AbortSignal;
  onEvent: (e: RunEvent) => void;
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The pipeline's measuring half: platform.up(every mode), then every cell in plan order (warm-up, then the
 * engine's measure window with the sampler running alongside), then platform.down() — always, also on error
 * and abort. results.json is rewritten atomically after every cell, so whatever happens, finished cells stay.
 */
export async function runBenchmark(o: RunOptions): Promise<ResultsFile> {
  const { spec, platform, signal, onEvent } = o;
  const modeDefs = spec.modes.map((m) => {
    const def = o.registry.get(m);
    if (!def) throw new Error(`mode ${m} is not registered`);
    return def;
  });
  let blocked: string | undefined;
  if (!holdsModesConcurrently(platform))
    blocked = `platform ${platform.name} does not declare that it can hold every mode up at once`;
  else {
    const can = platform.canHoldAllModes(modeDefs);
    if (!can.ok) blocked = can.reason;
  }
  const plan = planRun(spec, blocked);
  const results: ResultsFile = {
    schema: RESULTS_SCHEMA,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: o.runId,
    status: 'running',
    startedAt: new Date().toISOString(),
    spec,
    runner: currentRunOwner(),
    plan: {
      order: plan.order,
      ...(plan.orderReason ? { orderReason: plan.orderReason } : {}),
      cells: plan.cells.map((c) => ({ mode: c.mode, tier: c.tier.name, repetition: c.repetition })),
    },
    environment: o.environment,
    topology: [],
    cells: [],
  };
  const save = () => writeJsonAtomic(o.resultsPath, results);
  await save();
  onEvent({
    event: 'run-start',
    runId: o.runId,
    cells: plan.cells.length,
    expectedSeconds: plan.expectedSeconds,
    order: plan.order,
    resultsPath: o.resultsPath,
  });

  const deployments = new Map<ModeName, Deployment>();
  const up = async (mode: ModeName) => {
    const def = modeDefs.find((d) => d.name === mode)!;
    const dep = await platform.up(def, signal);
    deployments.set(mode, dep);
    results.topology.push(platform.topology(dep));
    onEvent({ event: 'mode-up', mode, path: dep.topology.path });
    await save();
    return dep;
  };

  try {
    if (plan.order === 'interleaved') {
      // Modes come up side by side (their set-up is mostly waiting on processes or a cluster), then are
      // recorded in spec order so results.json does not depend on which finished first.
      const settled = await Promise.allSettled(spec.modes.map((m) => up(m)));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      results.topology.sort((a, b) => spec.modes.indexOf(a.mode) - spec.modes.indexOf(b.mode));
    }
    let current: ModeName | undefined;
    for (const cell of plan.cells) {
      if (signal.aborted) break;
      if (plan.order === 'mode-major' && current !== cell.mode) {
        // A platform that cannot hold every mode brings one up at a time and takes the previous one down.
        if (current !== undefined && !holdsModesConcurrently(platform)) await platform.down();
        current = cell.mode;
        if (!deployments.has(cell.mode) || !holdsModesConcurrently(platform)) await up(cell.mode);
      }
      const dep = deployments.get(cell.mode)!;
      const result = await runCell(o, plan, cell, dep);
      results.cells.push(result);
      // The platform's view after the cell (on a cluster: with this cell's load pods and their proxies).
      recordTopology(results, platform.topology(dep));
      await save();
      onEvent(cellDoneEvent(result, plan.cells.length));
      if (signal.aborted) break;
      if (cell.index < plan.cells.length - 1) await sleep(spec.cooldownSec * 1000, signal);
    }
    results.status = signal.aborted ? 'interrupted' : 'complete';
  } catch (e) {
    results.status = isAbort(e, signal) ? 'interrupted' : 'failed';
    if (results.status === 'failed') results.error = errorMessage(e);
  } finally {
    onEvent({ event: 'teardown' });
    try {
      await platform.down();
    } catch (e) {
      results.status = results.status === 'complete' ? 'failed' : results.status;
      results.error = [results.error, `teardown: ${errorMessage(e)}`].filter(Boolean).join('; ');
    }
    results.finishedAt = new Date().toISOString();
    await save();
    onEvent({ event: 'run-end', status: results.status, resultsPath: o.resultsPath });
  }
  return results;
}

async function runCell(
  o: RunOptions,
  plan: ReturnType<typeof planRun>,
  cell: PlannedCell,
  dep: Deployment,
): Promise<CellResult> {
  const { tier } = cell;
  const total = plan.cells.length;
  const startedAt = new Date().toISOString();
  o.onEvent({
    event: 'cell-start',
    index: cell.index,
    total,
    mode: cell.mode,
    tier: tier.name,
    repetition: cell.repetition,
    repetitions: o.spec.repetitions,
    etaSeconds: secondsRemaining(plan, cell.index, 0, o.spec.cooldownSec),
  });
  const sampler = o.platform.sampler(dep);
  let samples: Promise<ProxySamples[]> | undefined;
  const base = {
    mode: cell.mode,
    tier: tier.name,
    repetition: cell.repetition,
    index: cell.index,
    startedAt,
  };
  try {
    const latency = await o.platform.load(dep, tier, {
      signal: o.signal,
      tags: { mode: cell.mode, tier: tier.name, rep: String(cell.repetition) },
      onMeasureStart: () => sampler.start(),
      onMeasureEnd: () => {
        samples ??= sampler.stop();
      },
      onProgress: (p) => {
        const into = p.phase === 'warmup' ? p.elapsedSec : tier.warmupSec + p.elapsedSec;
        o.onEvent({
          event: 'cell-progress',
          index: cell.index,
          total,
          etaSeconds: secondsRemaining(plan, cell.index, into, o.spec.cooldownSec),
          ...p,
        });
      },
    });
    const proxies = await (samples ?? sampler.stop());
    return {
      ...base,
      status: 'ok',
      finishedAt: new Date().toISOString(),
      latency,
      proxies,
      flags: cellFlags(latency),
    };
  } catch (e) {
    await (samples ?? sampler.stop()).catch(() => []);
    if (isAbort(e, o.signal))
      return {
        ...base,
        status: 'skipped',
        error: 'interrupted',
        finishedAt: new Date().toISOString(),
        flags: ['interrupted'],
      };
    return {
      ...base,
      status: 'failed',
      error: errorMessage(e),
      finishedAt: new Date().toISOString(),
      flags: ['failed'],
    };
  }
}

/** Replaces the mode's topology record with a newer snapshot, in place, so the spec order stays. */
function recordTopology(results: ResultsFile, snapshot: ModeTopologyRecord): void {
  const i = results.topology.findIndex((t) => t.mode === snapshot.mode);
  if (i === -1) results.topology.push(snapshot);
  else results.topology[i] = snapshot;
}

function cellDoneEvent(c: CellResult, total: number): RunEvent {
  const ev: RunEvent = {
    event: 'cell-done',
    index: c.index,
    total,
    mode: c.mode,
    tier: c.tier,
    repetition: c.repetition,
    status: c.status,
    flags: c.flags,
  };
  if (c.error) ev.error = c.error;
  if (c.latency) {
    const h = decodeHistogram(c.latency.histogram);
    ev.p50Ms = percentileMicros(h, 50) / 1000;
    ev.p99Ms = percentileMicros(h, 99) / 1000;
    ev.achievedRps = c.latency.achievedRps;
  }
  return ev;
}
