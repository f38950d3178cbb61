import { performance } from 'node:perf_hooks';
import type { LoadPhase } from '../engine.js';
import { encodeHistogram } from '../../stats/histogram.js';
import { arrivalsDue, intendedMs, isMeasured, planArrivals } from './arrival-schedule.js';
import { splitConnections } from './connection-plan.js';
import { createH2Sender } from './h2-sender.js';
import { createHttpSender, type SenderOptions } from './http-sender.js';
import { GRACE_MS, MIN_GAP_MS, monotonicMs, startOverdueWatch, type OverdueWatch } from './overdue-watch.js';
import type { LoadPlan, WorkerEvent, WorkerResult } from './protocol.js';
import { createTally, recordOutcome } from './tally.js';
import { spinUntil } from './spin-until.js';
import { chooseWait, sweepIntervalMs } from './timing-policy.js';

/**
 * Generates one plan's load in the current thread (the worker's): an open model at a constant arrival rate.
 * Every tick reads the clock, sends every arrival that is due, and waits until the next one, so lateness in
 * one tick never shifts later arrivals. Latency is timed from each arrival's intended time.
 */
const blocker = new Int32Array(new SharedArrayBuffer(4));

export async function generateLoad(plan: LoadPlan, emit: (e: WorkerEvent) => void): Promise<WorkerResult> {
  const schedule = planArrivals(plan.rps, plan.warmupSec, plan.durationSec);
  const now = (): number => performance.now();
  const senderOptions: SenderOptions = {
    pools: splitConnections(plan.endpoints, plan.connections),
    connections: plan.connections,
    payloadBytes: plan.payloadBytes,
    timeoutMs: plan.timeoutMs,
    ...(plan.requestsPerConnection !== undefined
      ? { requestsPerConnection: plan.requestsPerConnection }
      : {}),
    now,
  };
  // One generator for every protocol: only the sender differs (fortio's Runnable idea, STYLE.md).
  const sender =
    plan.protocol === 'http/1.1'
      ? createHttpSender(senderOptions)
      : createH2Sender({ ...senderOptions, protocol: plan.protocol });
  const tally = createTally();
  let next = 0; // next arrival index to issue
  let sent = 0;
  let completed = 0;
  let measuredPending = 0;
  let issueSpanMs = plan.durationSec * 1000;
  let measureStarted = false;
  let measureEnded = false;
  // Set once the run is over: callbacks still running when the run ends must not send new ones.
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** When this thread started blocking inside the current callback (undefined outside such a block). */
  let blockedSince: number | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let finish: (() => void) | undefined;
  let fail: ((e: unknown) => void) | undefined;
  const drained = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Callbacks run from timers and socket reads: an exception there must end the run, not vanish.
  const guarded =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A): void => {
      try {
        fn(...a);
      } catch (e) {
        fail?.(e);
      }
    };
  const t0 = now();
  /** Covers in-flight waits once its thread runs (timing-policy.ts); until then, and if it fails, timers do. */
  let watching = false;
  let watch: OverdueWatch | undefined = startOverdueWatch(
    {
      t0Ms: monotonicMs() - (now() - t0),
      rate: schedule.rate,
      total: schedule.endMeasured,
      graceMs: GRACE_MS,
      minGapMs: MIN_GAP_MS,
    },
    {
      onReady: () => {
        watching = true;
      },
      onOverdue: () => tick(),
      onError: () => {
        // Back to a timer for the wait that relied on the watch.
        watching = false;
        watch = undefined;
        arm();
      },
    },
  );

  const issue = (i: number, at: number): void => {
    const measured = isMeasured(i, schedule);
    const intendedAt = t0 + intendedMs(i, schedule.rate);
    if (i === schedule.endMeasured - 1)
      issueSpanMs = schedule.measureEndMs - schedule.measureStartMs + Math.max(0, at - intendedAt);
    if (sender.inFlight >= plan.maxInFlight) {
      if (measured) tally.dropped++;
      return;
    }
    sent++;
    if (measured) measuredPending++;
    sender.send(
      guarded((outcome, settledAt, onWireAt) => {
        completed++;
        if (measured) {
          recordOutcome(tally, outcome, (settledAt - intendedAt) * 1000, (settledAt - onWireAt) * 1000);
          measuredPending--;
          if (measureEnded && measuredPending === 0) finish?.();
        }
        // A completion is a free wake-up: send what has come due since, instead of waiting for the timer.
        pump(settledAt);
        if (sender.inFlight === 0) arm();
      }),
    );
  };

  const pump = (at: number): void => {
    if (stopped) return;
    const due = arrivalsDue(at - t0, schedule.rate, schedule.endMeasured);
    while (next < due) issue(next++, at);
    watch?.issued(next);
  };

  /**
   * Schedules the next wake-up: for the next arrival, or for the window's edge when that comes first. Called
   * after every tick and again whenever the last in-flight request completes, because only then may the
   * thread block until the due time (timing-policy.ts).
   */
  const arm = (): void => {
    if (stopped || measureEnded) return;
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
    const arrivalAt = next < schedule.endMeasured ? t0 + intendedMs(next, schedule.rate) : Infinity;
    let edgeAt = t0 + schedule.measureEndMs;
    if (!measureStarted) edgeAt = Math.min(edgeAt, t0 + schedule.measureStartMs);
    const wakeAt = Math.min(arrivalAt, edgeAt);
    const at = now();
    const wait = chooseWait({
      remainingMs: wakeAt - at,
      idle: sender.inFlight === 0,
      rps: plan.rps,
      loopClockLagMs: blockedSince === undefined ? 0 : at - blockedSince,
      watched: watching && arrivalAt < edgeAt,
    });
    switch (wait.how) {
      case 'block': {
        // Nothing is in flight, so blocking this thread delays no response. Then tick at once (not via
        // setImmediate, a further ~50 us): its send leaves a request in flight, so the arm() it ends with
        // cannot block again, and the recursion is one level deep.
        // libuv's loop time stands still from here until this callback returns: timers armed meanwhile are
        // corrected by how long (see chooseWait).
        const outermost = blockedSince === undefined;
        if (outermost) blockedSince = at;
        if (wait.forMs > 0) Atomics.wait(blocker, 0, 0, wait.forMs);
        spinUntil(wakeAt, now);
        tick();
        if (outermost) blockedSince = undefined;
        return;
      }
      case 'now':
        immediate = setImmediate(tick);
        return;
      case 'timer':
        timer = setTimeout(tick, wait.delayMs);
        return;
      case 'watch':
        return;
    }
  };

  const tick = guarded((): void => {
    timer = undefined;
    immediate = undefined;
    const at = now();
    const elapsed = at - t0;
    if (!measureStarted && elapsed >= schedule.measureStartMs) {
      measureStarted = true;
      emit({ event: 'measure-start' });
    }
    pump(at);
    if (!measureEnded && elapsed >= schedule.measureEndMs) {
      measureEnded = true;
      emit({ event: 'measure-end' });
      if (measuredPending === 0) finish?.();
      return;
    }
    arm();
  });

  const phaseOf = (elapsedMs: number): LoadPhase =>
    elapsedMs < schedule.measureStartMs ? 'warmup' : 'measure';
  const progress = setInterval(
    guarded(() => {
      const elapsedMs = now() - t0;
      const phase = phaseOf(elapsedMs);
      const phaseStartMs = phase === 'warmup' ? 0 : schedule.measureStartMs;
      emit({
        event: 'progress',
        progress: {
          phase,
          elapsedSec: (elapsedMs - phaseStartMs) / 1000,
          phaseSec: phase === 'warmup' ? plan.warmupSec : plan.durationSec,
          sent,
          completed,
        },
      });
    }),
    plan.progressIntervalMs,
  );
  const sweeper = setInterval(
    guarded(() => sender.sweep(now())),
    sweepIntervalMs(plan.timeoutMs),
  );

  try {
    tick();
    // Requests intended in the window are waited for; sweep() turns any still open after timeoutMs into timeouts.
    await drained;
    const result: WorkerResult = {
      histogram: encodeHistogram(tally.latency),
      serviceHistogram: encodeHistogram(tally.service),
      requests: tally.requests,
      ok: tally.ok,
      byStatus: tally.byStatus,
      byKind: tally.byKind,
      dropped: tally.dropped,
      issueSpanMs,
    };
    return result;
  } finally {
    stopped = true;
    await watch?.stop();
    clearInterval(progress);
    clearInterval(sweeper);
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    await sender.close();
  }
}
