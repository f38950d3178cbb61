import { spawn } from 'node:child_process';
import { isIPv4 } from 'node:net';
import { createInterface } from 'node:readline';
import type { LoadHooks } from '../engine.js';
import type { ErrorKind } from '../../results/schema.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../stats/histogram.js';
import { planArrivals } from './arrival-schedule.js';
import { splitConnections } from './connection-plan.js';
import { requestTarget } from './http-sender.js';
import type { LoadPlan, WorkerResult } from './protocol.js';
import { AbortError } from './worker-host.js';

/**
 * Drives the native load generator (native/loadgen.c): the same open model as load-generator.ts, in a C
 * process whose own latency is close to an open-loop C client's (docs/PERFORMANCE.md). This side turns the
 * plan into arguments, relays the window events and progress to the hooks, and turns the per-request records
 * into the same HDR histograms the JavaScript core makes.
 */

/** The generator's arguments for a plan, or undefined when it cannot run it (a host that is not IPv4). */
export function nativeArgs(plan: LoadPlan, extra: { cpu?: number } = {}): string[] | undefined {
  const schedule = planArrivals(plan.rps, plan.warmupSec, plan.durationSec);
  const pools: string[] = [];
  for (const p of splitConnections(plan.endpoints, plan.connections)) {
    const t = requestTarget(p.endpoint, plan.payloadBytes);
    const ip = t.host === 'localhost' ? '127.0.0.1' : t.host;
    if (!isIPv4(ip)) return undefined;
    pools.push('--pool', ip, String(t.port), String(p.connections), t.hostHeader, t.path);
  }
  return [
    '--rate',
    String(plan.rps),
    '--warmup-ms',
    String(schedule.measureStartMs),
    '--duration-ms',
    String(schedule.measureEndMs - schedule.measureStartMs),
    '--first',
    String(schedule.firstMeasured),
    '--end',
    String(schedule.endMeasured),
    '--max-in-flight',
    String(plan.maxInFlight),
    '--timeout-ms',
    String(plan.timeoutMs),
    '--progress-ms',
    String(plan.progressIntervalMs),
    ...(plan.requestsPerConnection !== undefined
      ? ['--requests-per-connection', String(plan.requestsPerConnection)]
      : []),
    ...(extra.cpu !== undefined ? ['--cpu', String(extra.cpu)] : []),
    ...pools,
  ];
}

/** The generator's final counts line (`R {...}`). */
interface NativeCounts {
  requests: number;
  ok: number;
  dropped: number;
  issueSpanMs: number;
  records: number;
  byStatus: Record<string, number>;
  byKind: Partial<Record<ErrorKind, number>>;
}

/** Histograms from the records: pairs of little-endian uint32, latency then service time, microseconds. */
export function histogramsFromRecords(
  records: Buffer,
  count: number,
): Pick<WorkerResult, 'histogram' | 'serviceHistogram'> {
  if (records.length !== count * 8)
    throw new Error(`native load generator: ${records.length} record bytes for ${count} requests`);
  const latency = createHistogram();
  const service = createHistogram();
  for (let k = 0; k < count; k++) {
    recordMicros(latency, records.readUInt32LE(8 * k));
    recordMicros(service, records.readUInt32LE(8 * k + 4));
  }
  return { histogram: encodeHistogram(latency), serviceHistogram: encodeHistogram(service) };
}

/** Runs one plan in the native generator. Settles only after the process is gone (success, error or abort). */
export async function runNativeCore(
  binary: string,
  args: string[],
  plan: LoadPlan,
  hooks: LoadHooks,
): Promise<WorkerResult> {
  const { signal } = hooks;
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const [, stdout, stderrStream, recordStream] = child.stdio as unknown as [
    null,
    NodeJS.ReadableStream,
    NodeJS.ReadableStream,
    NodeJS.ReadableStream,
  ];
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, sig) => resolve({ code, sig })),
  );
  const records: Buffer[] = [];
  recordStream.on('data', (b: Buffer) => records.push(b));
  let stderr = '';
  stderrStream.setEncoding('utf8');
  stderrStream.on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  let counts: NativeCounts | undefined;
  let failure: unknown;
  const stop = (why: unknown): void => {
    failure ??= why;
    child.kill('SIGKILL');
  };
  const onAbort = (): void => stop(new AbortError(undefined, { cause: signal?.reason }));
  signal?.addEventListener('abort', onAbort, { once: true });
  const warmupMs = plan.warmupSec * 1000;
  createInterface({ input: stdout }).on('line', (line) => {
    try {
      if (line === 'S') hooks.onMeasureStart?.();
      else if (line === 'E') hooks.onMeasureEnd?.();
      else if (line.startsWith('P ')) {
        const [ms, sent, completed] = line.slice(2).split(' ').map(Number) as [number, number, number];
        const warmup = ms < warmupMs;
        hooks.onProgress?.({
          phase: warmup ? 'warmup' : 'measure',
          elapsedSec: (warmup ? ms : ms - warmupMs) / 1000,
          phaseSec: warmup ? plan.warmupSec : plan.durationSec,
          sent,
          completed,
        });
      } else if (line.startsWith('R ')) counts = JSON.parse(line.slice(2)) as NativeCounts;
    } catch (e) {
      // A hook that throws ends the run: its caller's state is no longer what the run assumes.
      stop(e);
    }
  });
  try {
    const { code, sig } = await exited;
    if (failure) throw failure;
    if (code !== 0 || !counts)
      throw new Error(
        `native load generator exited ${sig ? `on ${sig}` : `with code ${code}`}${stderr ? `: ${stderr.trim()}` : ''}`,
      );
    return {
      ...histogramsFromRecords(Buffer.concat(records), counts.records),
      requests: counts.requests,
      ok: counts.ok,
      byStatus: counts.byStatus,
      byKind: counts.byKind,
      dropped: counts.dropped,
      issueSpanMs: counts.issueSpanMs,
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
