import { Worker } from 'node:worker_threads';

/**
 * A second thread that wakes the generator when an arrival falls due while the generator is waiting on a
 * response, so that a slow response never holds back the arrivals after it (coordinated omission in the
 * generator itself). The generator could arm a millisecond timer after every send instead, and it did: on this
 * kind of VM (a nested, paravirtualised KVM guest, HZ=250) having that short timer armed while the response
 * was on its way made every p50 at 1000 RPS 10-25 us slower (interleaved rounds, docs/PERFORMANCE.md), whether
 * the timer fired or not. The watch thread keeps its own timer off the generator's thread: it sleeps until
 * each arrival's intended time plus GRACE_MS, reads how far the generator has got (a shared counter, no
 * syscall on the generator's side), and posts a message only when that arrival is still unsent.
 */

/** What the watch needs to know: the arrival schedule, on the shared monotonic clock (monotonicMs). */
export interface WatchPlan {
  /** When arrival 0 is intended, monotonicMs. */
  t0Ms: number;
  /** Arrivals per second. */
  rate: number;
  /** Arrivals in the run: the watch ends once the generator has issued them all. */
  total: number;
  /** How late an arrival may be before the generator is woken for it. */
  graceMs: number;
  /** The watch wakes at most once per this interval, so that it costs little CPU at high rates. */
  minGapMs: number;
}

/** What the watch knows when it wakes. */
export interface WatchView {
  nowMs: number;
  /** Index of the next arrival the generator has not issued. */
  next: number;
  /** The arrival the watch last woke the generator for (-1: none yet). */
  lastKicked: number;
  /** When the watch last woke (-Infinity before the first sleep). */
  lastWakeMs: number;
}

export type WatchStep = { do: 'exit' } | { do: 'kick' | 'sleep'; sleepMs: number };

/**
 * One decision of the watch: wake the generator (once per arrival), sleep until the next arrival becomes
 * overdue, or end. Self-contained (no outside names), because the watch thread runs its source text.
 */
export function watchStep(p: WatchPlan, v: WatchView): WatchStep {
  if (v.next >= p.total) return { do: 'exit' };
  const overdueAt = p.t0Ms + (v.next * 1000) / p.rate + p.graceMs;
  const earliestWake = v.lastWakeMs + p.minGapMs;
  // Overdue: wake the generator once for it, then look again after minGapMs (it may still be busy).
  if (v.nowMs >= overdueAt) return { do: v.lastKicked === v.next ? 'sleep' : 'kick', sleepMs: p.minGapMs };
  return { do: 'sleep', sleepMs: Math.max(overdueAt, earliestWake) - v.nowMs };
}

/** Milliseconds on CLOCK_MONOTONIC, the same in every thread (performance.now() has a per-thread origin). */
export function monotonicMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/**
 * A generator may be at most this late for an arrival before the watch wakes it: less than Node's
 * millisecond timers used to be (0.5-1 ms), and after most responses at 1000 RPS have come back (p90 about
 * 0.2 ms), so the watch's own wake-up seldom lands on a request that is being timed.
 */
export const GRACE_MS = 0.5;
export const MIN_GAP_MS = 1;

const NEXT = 0;
const STOP = 1;

/** The watch thread's program: CommonJS text, so it starts as fast from sources as from dist (no tsx, no modules to load). */
function threadSource(): string {
  return `'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const watchStep = ${watchStep.toString()};
const monotonicMs = ${monotonicMs.toString()};
const cells = new Int32Array(workerData.shared);
const plan = workerData.plan;
let lastKicked = -1;
let lastWakeMs = -Infinity;
while (Atomics.load(cells, ${STOP}) === 0) {
  const next = Atomics.load(cells, ${NEXT});
  const step = watchStep(plan, { nowMs: monotonicMs(), next, lastKicked, lastWakeMs });
  if (step.do === 'exit') break;
  if (step.do === 'kick') {
    lastKicked = next;
    parentPort.postMessage(next);
  }
  Atomics.wait(cells, ${STOP}, 0, step.sleepMs);
  lastWakeMs = monotonicMs();
}
`;
}

export interface OverdueWatch {
  /** Tells the watch that every arrival below `next` has been issued (a shared write, no syscall). */
  issued(next: number): void;
  /** Ends the watch thread; resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface WatchEvents {
  /** The thread runs: from now on it covers in-flight waits. */
  onReady(): void;
  /** On the calling thread's event loop: arrival `index` fell due GRACE_MS ago and is still unsent. */
  onOverdue(index: number): void;
  /** The thread failed; it covers nothing any more. */
  onError(e: unknown): void;
}

/** Starts the watch thread (ready within tens of milliseconds: a few lines of CommonJS, no modules to load). */
export function startOverdueWatch(plan: WatchPlan, events: WatchEvents): OverdueWatch {
  const shared = new SharedArrayBuffer(8);
  const cells = new Int32Array(shared);
  const worker = new Worker(threadSource(), { eval: true, workerData: { shared, plan } });
  worker.once('online', () => events.onReady());
  worker.on('message', (index: number) => events.onOverdue(index));
  worker.on('error', (e) => events.onError(e));
  let stopped: Promise<void> | undefined;
  return {
    issued(next) {
      Atomics.store(cells, NEXT, next);
    },
    stop() {
      stopped ??= (async () => {
        Atomics.store(cells, STOP, 1);
        Atomics.notify(cells, STOP);
        worker.removeAllListeners('message');
        worker.removeAllListeners('online');
        await worker.terminate();
      })();
      return stopped;
    },
  };
}
